// routeauth_floor: the tree-sitter floor routeauth is measured against. It reads every file it is
// given (or every route.{ts,tsx,js,jsx,mjs} below a folder given), parses it with the same
// tree-sitter runtime and the same tree-sitter-typescript grammar routeauth links (TSX for .tsx
// and .jsx), optionally runs queries over each tree, and prints what it counted, so that no work
// can be skipped. One thread, one parser per grammar, each query compiled once.
//
//   routeauth_floor [--query FILE.scm]... [--walk] [--quiet] PATH...
//
//   --query FILE  run this query over every tree (repeatable); text predicates #eq?, #any-of?,
//                 #match? and their not- forms are evaluated as routeauth does, matches counted
//   --walk        also visit every node with a tree cursor and count them
//   --quiet       print nothing (the exit status still says whether every file parsed)
//
// Output (stderr): files, bytes, trees with a syntax error, matches, nodes. Exit status 0, or 1
// when a file could not be read, 2 on usage errors.
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tree_sitter/api.h>
#include <unistd.h>

const TSLanguage* tree_sitter_typescript(void);
const TSLanguage* tree_sitter_tsx(void);

enum { TS = 0, TSX = 1 };

// ---- files ----------------------------------------------------------------------------------

typedef struct {
  char** items;
  size_t size, cap;
} Paths;

static void push_path(Paths* p, const char* path) {
  if (p->size == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 1024;
    p->items = realloc(p->items, p->cap * sizeof *p->items);
    if (!p->items) abort();
  }
  p->items[p->size++] = strdup(path);
}

static bool is_route_name(const char* name) {
  static const char* names[] = {"route.ts", "route.tsx", "route.js", "route.jsx", "route.mjs"};
  for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
    if (strcmp(name, names[i]) == 0) return true;
  }
  return false;
}

static void walk(const char* dir, Paths* out) {
  DIR* d = opendir(dir);
  if (!d) {
    fprintf(stderr, "routeauth_floor: %s: %s\n", dir, strerror(errno));
    return;
  }
  struct dirent* e;
  char path[4096];
  while ((e = readdir(d))) {
    const char* n = e->d_name;
    if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strcmp(n, "node_modules") == 0 ||
        strcmp(n, ".git") == 0 || strcmp(n, ".next") == 0) {
      continue;
    }
    snprintf(path, sizeof path, "%s/%s", dir, n);
    struct stat st;
    if (stat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      walk(path, out);
    } else if (S_ISREG(st.st_mode) && is_route_name(n)) {
      push_path(out, path);
    }
  }
  closedir(d);
}

static bool read_all(const char* path, char** buf, size_t* cap, size_t* len) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return false;
  }
  size_t want = (size_t)st.st_size + 1;
  if (want > *cap) {
    *cap = want * 2;
    *buf = realloc(*buf, *cap);
    if (!*buf) abort();
  }
  size_t n = 0;
  for (;;) {
    if (n + 1 >= *cap) {
      *cap *= 2;
      *buf = realloc(*buf, *cap);
      if (!*buf) abort();
    }
    ssize_t r = read(fd, *buf + n, *cap - n - 1);
    if (r < 0) {
      if (errno == EINTR) continue;
      close(fd);
      return false;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  *len = n;
  return true;
}

static bool ends_with(const char* s, const char* suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

// ---- queries and their text predicates --------------------------------------------------------

typedef enum { P_EQ, P_ANY_OF, P_MATCH } PredKind;

typedef struct {
  PredKind kind;
  bool negated;
  uint32_t capture;
  bool other_is_capture;  // #eq? @a @b
  uint32_t other_capture;
  const char** values;  // #eq? / #any-of? strings (borrowed from the query)
  uint32_t* value_lens;
  uint32_t value_count;
  regex_t regex;
} Predicate;

typedef struct {
  Predicate* items;
  uint32_t count;
} Predicates;

typedef struct {
  const char* name;
  char* source;
  uint32_t source_len;
  TSQuery* query[2];            // per grammar, compiled on first use
  Predicates* predicates[2];    // per grammar, per pattern
} QueryFile;

static char* slurp(const char* path, uint32_t* len) {
  char* buf = NULL;
  size_t cap = 0, n = 0;
  if (!read_all(path, &buf, &cap, &n)) return NULL;
  buf[n] = '\0';
  *len = (uint32_t)n;
  return buf;
}

static void die(const char* fmt, const char* a, const char* b) {
  fprintf(stderr, "routeauth_floor: ");
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
  exit(2);
}

static Predicates* load_predicates(const TSQuery* q, const char* qname) {
  uint32_t patterns = ts_query_pattern_count(q);
  Predicates* all = calloc(patterns ? patterns : 1, sizeof *all);
  for (uint32_t p = 0; p < patterns; ++p) {
    uint32_t steps = 0;
    const TSQueryPredicateStep* s = ts_query_predicates_for_pattern(q, p, &steps);
    uint32_t i = 0;
    while (i < steps) {
      uint32_t end = i;
      while (end < steps && s[end].type != TSQueryPredicateStepTypeDone) ++end;
      uint32_t len = 0;
      const char* op = ts_query_string_value_for_id(q, s[i].value_id, &len);
      Predicate pr;
      memset(&pr, 0, sizeof pr);
      const char* base = op;
      if (strncmp(base, "not-", 4) == 0) {
        pr.negated = true;
        base += 4;
      }
      if (strcmp(base, "eq?") == 0) {
        pr.kind = P_EQ;
      } else if (strcmp(base, "any-of?") == 0) {
        pr.kind = P_ANY_OF;
      } else if (strcmp(base, "match?") == 0) {
        pr.kind = P_MATCH;
      } else {
        die("%s: unsupported predicate #%s", qname, op);
      }
      if (end - i < 3 || s[i + 1].type != TSQueryPredicateStepTypeCapture) {
        die("%s: malformed predicate #%s", qname, op);
      }
      pr.capture = s[i + 1].value_id;
      if (pr.kind == P_EQ && s[i + 2].type == TSQueryPredicateStepTypeCapture) {
        pr.other_is_capture = true;
        pr.other_capture = s[i + 2].value_id;
      } else {
        pr.value_count = end - (i + 2);
        pr.values = calloc(pr.value_count, sizeof *pr.values);
        pr.value_lens = calloc(pr.value_count, sizeof *pr.value_lens);
        for (uint32_t v = 0; v < pr.value_count; ++v) {
          pr.values[v] = ts_query_string_value_for_id(q, s[i + 2 + v].value_id, &pr.value_lens[v]);
        }
        if (pr.kind == P_MATCH && regcomp(&pr.regex, pr.values[0], REG_EXTENDED | REG_NOSUB) != 0) {
          die("%s: bad regex %s", qname, pr.values[0]);
        }
      }
      all[p].items = realloc(all[p].items, (all[p].count + 1) * sizeof pr);
      all[p].items[all[p].count++] = pr;
      i = end + 1;
    }
  }
  return all;
}

static TSNode capture_node(const TSQueryMatch* m, uint32_t capture, bool* found) {
  for (uint16_t i = 0; i < m->capture_count; ++i) {
    if (m->captures[i].index == capture) {
      *found = true;
      return m->captures[i].node;
    }
  }
  *found = false;
  TSNode null;
  memset(&null, 0, sizeof null);
  return null;
}

static bool accepts(const Predicates* preds, const TSQueryMatch* m, const char* text) {
  const Predicates* ps = &preds[m->pattern_index];
  for (uint32_t i = 0; i < ps->count; ++i) {
    const Predicate* pr = &ps->items[i];
    bool found = false;
    TSNode n = capture_node(m, pr->capture, &found);
    if (!found) continue;
    const char* t = text + ts_node_start_byte(n);
    uint32_t tl = ts_node_end_byte(n) - ts_node_start_byte(n);
    bool ok = false;
    if (pr->other_is_capture) {
      bool f2 = false;
      TSNode o = capture_node(m, pr->other_capture, &f2);
      uint32_t ol = ts_node_end_byte(o) - ts_node_start_byte(o);
      ok = f2 && ol == tl && memcmp(text + ts_node_start_byte(o), t, tl) == 0;
    } else if (pr->kind == P_MATCH) {
      char small[512];
      char* s = tl < sizeof small ? small : malloc(tl + 1);
      memcpy(s, t, tl);
      s[tl] = '\0';
      ok = regexec(&pr->regex, s, 0, NULL, 0) == 0;
      if (s != small) free(s);
    } else {
      for (uint32_t v = 0; v < pr->value_count && !ok; ++v) {
        ok = pr->value_lens[v] == tl && memcmp(pr->values[v], t, tl) == 0;
      }
    }
    if (ok == pr->negated) return false;
  }
  return true;
}

static TSQuery* compile(QueryFile* qf, int grammar, const TSLanguage* lang) {
  if (qf->query[grammar]) return qf->query[grammar];
  uint32_t offset = 0;
  TSQueryError err = TSQueryErrorNone;
  TSQuery* q = ts_query_new(lang, qf->source, qf->source_len, &offset, &err);
  if (!q) {
    char where[32];
    snprintf(where, sizeof where, "%u", offset);
    die("%s: query does not compile at byte %s", qf->name, where);
  }
  qf->query[grammar] = q;
  qf->predicates[grammar] = load_predicates(q, qf->name);
  return q;
}

// ---- main -------------------------------------------------------------------------------------

int main(int argc, char** argv) {
  QueryFile queries[16];
  int query_count = 0;
  bool walk_nodes = false, quiet = false;
  Paths paths = {0};

  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (strcmp(a, "--query") == 0 && i + 1 < argc) {
      if (query_count == 16) die("%s%s", "too many --query", "");
      QueryFile* qf = &queries[query_count++];
      memset(qf, 0, sizeof *qf);
      qf->name = argv[++i];
      qf->source = slurp(qf->name, &qf->source_len);
      if (!qf->source) die("%s: %s", qf->name, strerror(errno));
    } else if (strcmp(a, "--walk") == 0) {
      walk_nodes = true;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      quiet = true;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fprintf(stdout, "usage: routeauth_floor [--query FILE.scm]... [--walk] [--quiet] PATH...\n");
      return 0;
    } else if (a[0] == '-' && a[1] != '\0') {
      die("unknown option %s%s", a, "");
    } else {
      struct stat st;
      if (stat(a, &st) != 0) die("%s: %s", a, strerror(errno));
      if (S_ISDIR(st.st_mode)) {
        walk(a, &paths);
      } else {
        push_path(&paths, a);
      }
    }
  }
  if (paths.size == 0) die("%s%s", "no files (usage: routeauth_floor [--query FILE.scm]... [--walk] PATH...)", "");

  const TSLanguage* langs[2] = {tree_sitter_typescript(), tree_sitter_tsx()};
  TSParser* parsers[2] = {NULL, NULL};
  TSQueryCursor* cursor = ts_query_cursor_new();

  char* buf = NULL;
  size_t cap = 0;
  uint64_t bytes = 0, matches = 0, nodes = 0, children = 0;
  size_t errors = 0, unreadable = 0;
  for (size_t f = 0; f < paths.size; ++f) {
    const char* path = paths.items[f];
    size_t len = 0;
    if (!read_all(path, &buf, &cap, &len)) {
      fprintf(stderr, "routeauth_floor: %s: %s\n", path, strerror(errno));
      ++unreadable;
      continue;
    }
    bytes += len;
    const int g = ends_with(path, ".tsx") || ends_with(path, ".jsx") ? TSX : TS;
    if (!parsers[g]) {
      parsers[g] = ts_parser_new();
      ts_parser_set_language(parsers[g], langs[g]);
    }
    TSTree* tree = ts_parser_parse_string(parsers[g], NULL, buf, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    children += ts_node_child_count(root);
    if (ts_node_has_error(root)) ++errors;

    for (int qi = 0; qi < query_count; ++qi) {
      TSQuery* q = compile(&queries[qi], g, langs[g]);
      ts_query_cursor_exec(cursor, q, root);
      TSQueryMatch m;
      while (ts_query_cursor_next_match(cursor, &m)) {
        if (accepts(queries[qi].predicates[g], &m, buf)) ++matches;
      }
    }

    if (walk_nodes) {
      TSTreeCursor c = ts_tree_cursor_new(root);
      for (;;) {
        ++nodes;
        if (ts_tree_cursor_goto_first_child(&c)) continue;
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
          if (!ts_tree_cursor_goto_parent(&c)) goto done;
        }
      }
    done:
      ts_tree_cursor_delete(&c);
    }
    ts_tree_delete(tree);
  }

  if (!quiet) {
    fprintf(stderr,
            "routeauth_floor: %zu files, %llu bytes, %zu with syntax errors, %llu top-level nodes, "
            "%llu query matches%s",
            paths.size - unreadable, (unsigned long long)bytes, errors,
            (unsigned long long)children, (unsigned long long)matches, walk_nodes ? ", " : "\n");
    if (walk_nodes) fprintf(stderr, "%llu nodes\n", (unsigned long long)nodes);
  }
  ts_query_cursor_delete(cursor);
  for (int g = 0; g < 2; ++g) {
    if (parsers[g]) ts_parser_delete(parsers[g]);
  }
  return unreadable ? 1 : 0;
}
