#include "engine/project.h"

#include "engine/folder_walk.h"
#include "engine/git_repo.h"
#include "engine/modules.h"
#include "engine/source.h"
#include "engine/syntax.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <vector>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace routeauth::engine {

namespace {

std::optional<std::string> read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr std::string_view kSourceExtensions[] = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".mts", ".cts"};

bool is_source(const std::string& name) {
  if (name.ends_with(".d.ts")) return false;
  for (const auto ext : kSourceExtensions) {
    if (name.ends_with(ext)) return true;
  }
  return false;
}

// Whether `word` occurs in `text` as a whole token: not inside a longer ASCII identifier
// (`authorization`, `useAuth`). A byte above 0x7f counts as a separator, so a file is never
// skipped for a non-ASCII space next to the name; an identifier node whose text is `word` always
// passes this test, so the search parses every file that could export or import the name.
bool mentions_word(std::string_view text, std::string_view word) {
  auto ident = [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '$';
  };
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    if ((at == 0 || !ident(text[at - 1])) && (end == text.size() || !ident(text[end]))) return true;
  }
  return false;
}

// A name bound by a destructuring pattern or an identifier: `auth`, `{ auth, handlers }`,
// `{ auth: auth }`.
bool binds(const SourceFile& file, TSNode name, std::string_view wanted) {
  if (is(name, "identifier")) return text(file, name) == wanted;
  if (!is(name, "object_pattern")) return false;
  bool found = false;
  for_each_named_child(name, [&](TSNode child) {
    if (is(child, "shorthand_property_identifier_pattern") && text(file, child) == wanted) found = true;
    if (is(child, "pair_pattern") && binds(file, field(child, "value"), wanted)) found = true;
  });
  return found;
}

// Whether a top-level export statement exports `wanted` (declared here or re-exported).
bool exports_name(const SourceFile& file, TSNode statement, std::string_view wanted) {
  bool found = false;
  const TSNode declaration = field(statement, "declaration");
  if (is(declaration, "lexical_declaration") || is(declaration, "variable_declaration")) {
    for_each_named_child(declaration, [&](TSNode d) {
      if (is(d, "variable_declarator") && binds(file, field(d, "name"), wanted)) found = true;
    });
  } else if (!ts_node_is_null(declaration)) {
    const TSNode name = field(declaration, "name");
    found = is(name, "identifier") && text(file, name) == wanted;
  }
  for_each_named_child(statement, [&](TSNode child) {
    if (!is(child, "export_clause")) return;
    for_each_named_child(child, [&](TSNode spec) {
      if (!is(spec, "export_specifier")) return;
      const TSNode alias = field(spec, "alias");
      if (text(file, ts_node_is_null(alias) ? field(spec, "name") : alias) == wanted) found = true;
    });
  });
  return found;
}

// The specifier a top-level import statement imports `wanted` from, or "".
std::string_view imports_name(const SourceFile& file, TSNode statement, std::string_view wanted) {
  bool found = false;
  for_each_named_child(statement, [&](TSNode clause) {
    if (!is(clause, "import_clause")) return;
    for_each_named_child(clause, [&](TSNode named) {
      if (!is(named, "named_imports")) return;
      for_each_named_child(named, [&](TSNode spec) {
        if (is(spec, "import_specifier") && text(file, field(spec, "name")) == wanted) found = true;
      });
    });
  });
  const TSNode source = field(statement, "source");
  return found && !ts_node_is_null(source) ? string_content(file, source) : std::string_view{};
}

// Whether the file calls NextAuth: the default import of 'next-auth' (`import NextAuth from
// 'next-auth'`, under any name) called anywhere in it, as v5's `NextAuth({ ... })` is.
bool calls_next_auth(const SourceFile& file, TSNode root) {
  std::string name;
  for_each_named_child(root, [&](TSNode statement) {
    if (!is(statement, "import_statement") || !is(field(statement, "source"), "string") ||
        string_content(file, field(statement, "source")) != "next-auth") {
      return;
    }
    for_each_named_child(statement, [&](TSNode clause) {
      if (!is(clause, "import_clause")) return;
      for_each_named_child(clause, [&](TSNode c) {
        if (is(c, "identifier")) name = std::string(text(file, c));
      });
    });
  });
  if (name.empty()) return false;
  bool found = false;
  walk_named(root, [&](TSNode n) {
    if (found) return false;
    if (is(n, "call_expression") && text(file, field(n, "function")) == name) found = true;
    return !found;
  });
  return found;
}

struct Votes {
  std::map<std::string, size_t> count;  // resolved file -> imports
  std::map<std::string, std::string> specifier;  // resolved file -> the first non-relative specifier
  std::vector<std::string> exporters;  // in path order
};

std::optional<AuthOptionsModule> choose(const Votes& votes, const ModuleResolver& modules, const fs::path& project) {
  std::string file;
  size_t best = 0;
  for (const auto& [f, n] : votes.count) {
    if (n > best) {
      best = n;
      file = f;
    }
  }
  if (file.empty() && !votes.exporters.empty()) file = votes.exporters.front();
  if (file.empty()) return std::nullopt;
  std::string specifier;
  if (const auto it = votes.specifier.find(file); it != votes.specifier.end()) specifier = it->second;
  if (specifier.empty()) specifier = modules.specifier_for(file);
  return AuthOptionsModule{fs::path(file).lexically_relative(project).generic_string(), specifier};
}

}  // namespace

std::string project_root(const std::string& path) {
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec);
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  const fs::path start = dir;
  for (; !dir.empty(); dir = dir.parent_path()) {
    for (const char* marker : {"package.json", "tsconfig.json", "jsconfig.json"}) {
      if (fs::exists(dir / marker, ec)) return dir.string();
    }
    if (dir == dir.parent_path()) break;
  }
  return start.string();
}

std::string strip_jsonc(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '"') {  // a string, copied whole with its escapes
      out += c;
      for (++i; i < n; ++i) {
        out += text[i];
        if (text[i] == '\\' && i + 1 < n) {
          out += text[++i];
        } else if (text[i] == '"') {
          break;
        }
      }
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n') ++i;
      out += '\n';
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) ++i;
      ++i;
      out += ' ';
      continue;
    }
    if (c == ',') {  // a trailing comma: the next meaningful character closes the object or array
      size_t j = i + 1;
      for (;;) {
        while (j < n && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j + 1 < n && text[j] == '/' && text[j + 1] == '/') {
          while (j < n && text[j] != '\n') ++j;
          continue;
        }
        if (j + 1 < n && text[j] == '/' && text[j + 1] == '*') {
          j += 2;
          while (j + 1 < n && !(text[j] == '*' && text[j + 1] == '/')) ++j;
          j += 2;
          continue;
        }
        break;
      }
      if (j < n && (text[j] == '}' || text[j] == ']')) continue;
    }
    out += c;
  }
  return out;
}

std::string alias_for(const std::string& project, const std::string& target) {
  return ModuleResolver(project).specifier_for((fs::path(project) / target).string());
}

ProjectTree::ProjectTree(const std::string& project) : root_(fs::absolute(project).lexically_normal()) {
  if (auto repo = GitRepo::discover(root_.string())) repo_ = std::make_unique<GitRepo>(std::move(*repo));
}

ProjectTree::~ProjectTree() = default;

std::vector<fs::path> ProjectTree::files(const std::function<bool(const std::string&)>& wanted) const {
  std::vector<fs::path> files;
  FolderWalk walk;
  walk.repo = repo_.get();
  walk.skip = [](const fs::path& folder) {
    const std::string name = folder.filename().string();
    return name == "node_modules" || name.starts_with(".") || name == "dist" || name == "out" || name == "build";
  };
  walk.file = [&](const fs::directory_entry& entry) {
    std::error_code ec;
    if (wanted(entry.path().filename().string()) && entry.file_size(ec) <= kAuthScanMaxBytes && !ec) {
      files.push_back(entry.path());
    }
    return files.size() < kAuthScanMaxFiles;
  };
  (void)walk_folders(root_, walk);  // what could not be listed is not the project's source
  std::sort(files.begin(), files.end());
  return files;
}

bool ProjectTree::ignored(const fs::path& file) const { return git_ignores(repo_.get(), file, false); }

AuthModules find_auth_modules(const std::string& project) {
  AuthModules found;
  const ProjectTree source(project);
  const fs::path& root = source.root();
  const ModuleResolver modules(root.string());
  const std::vector<fs::path> files = source.files(is_source);
  Votes v4, v5;
  Parser parser;
  for (const fs::path& p : files) {
    auto bytes = read(p);
    ++found.files_read;
    if (!bytes) continue;
    const bool v4_named = mentions_word(*bytes, "authOptions");
    if (!v4_named && !mentions_word(*bytes, "auth")) continue;
    const SourceFile file(p.string(), std::move(*bytes));
    ++found.files_parsed;
    const Tree tree = parser.parse(file);
    if (!tree) continue;
    // Asked once, of a file that exports or imports the name: the walk already left out the
    // ignored folders, this is for a rule that names the file itself.
    std::optional<bool> ignored;
    const auto counts = [&] {
      if (!ignored) ignored = source.ignored(p);
      return !*ignored;
    };
    bool exports_auth = false;
    auto vote = [&](Votes& votes, TSNode statement, std::string_view name) {
      const std::string_view from = imports_name(file, statement, name);
      if (from.empty() || !counts()) return;
      const auto target = modules.resolve(p.string(), from);
      if (!target) return;
      ++votes.count[*target];
      if (!is_relative_specifier(from) && !votes.specifier.contains(*target)) votes.specifier[*target] = std::string(from);
    };
    for_each_named_child(tree.root(), [&](TSNode statement) {
      if (is(statement, "export_statement")) {
        if (v4_named && exports_name(file, statement, "authOptions") && counts()) v4.exporters.push_back(p.string());
        if (exports_name(file, statement, "auth") && counts()) exports_auth = true;
      } else if (is(statement, "import_statement")) {
        if (v4_named) vote(v4, statement, "authOptions");
        vote(v5, statement, "auth");
      }
    });
    // v5's module: it exports `auth` and makes it with NextAuth(...) (a project's own `auth`, a
    // Firebase or Clerk one, is not NextAuth's session read).
    if (exports_auth && calls_next_auth(file, tree.root())) v5.exporters.push_back(p.string());
  }
  // Imports of `auth` vote only for a module that makes it with NextAuth.
  std::erase_if(v5.count, [&](const auto& entry) {
    return std::find(v5.exporters.begin(), v5.exporters.end(), entry.first) == v5.exporters.end();
  });
  found.auth_options = choose(v4, modules, root);
  found.auth = choose(v5, modules, root);
  return found;
}

std::optional<AuthOptionsModule> detect_auth_options(const std::string& project) {
  return find_auth_modules(project).auth_options;
}

}  // namespace routeauth::engine
