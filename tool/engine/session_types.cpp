#include "engine/session_types.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string_view>

#include "engine/project.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "output/write.h"

namespace fs = std::filesystem;

namespace routeauth::engine {

namespace {

SessionField field_of(const std::string& path) {
  SessionField f;
  f.path = path;
  f.member = path.substr(path.rfind('.') + 1);
  f.on_user = path.find('.') != std::string::npos;
  return f;
}

// A file of the project with at least one `declare module "next-auth"` block.
struct Augmenting {
  std::string rel;  // relative to the project root
  SourceFile file;
  Tree tree;
  std::vector<TSNode> blocks;  // the statement_block of each next-auth module
};

// One interface declared in a next-auth block.
struct Interface {
  size_t file;  // index into Analysis::files
  TSNode node;  // interface_declaration
};

struct Analysis {
  std::vector<Augmenting> files;
  std::vector<Interface> interfaces;  // in path and document order
};

std::string_view name_of(const SourceFile& file, TSNode member) {
  const TSNode name = field(member, "name");
  if (ts_node_is_null(name)) return {};
  return is(name, "string") ? string_content(file, name) : text(file, name);
}

// The member `name` of an interface_body or object_type, or a null node.
TSNode member_named(const SourceFile& file, TSNode body, std::string_view name) {
  return find_named_child(body, [&](TSNode m) {
    return (is(m, "property_signature") || is(m, "method_signature")) && name_of(file, m) == name ? m : TSNode{};
  });
}

// The declaration a statement of a next-auth block holds: `interface X {}` or `export interface X {}`.
TSNode interface_in(TSNode statement) {
  if (is(statement, "interface_declaration")) return statement;
  if (is(statement, "export_statement") && is(field(statement, "declaration"), "interface_declaration"))
    return field(statement, "declaration");
  return TSNode{};
}

Analysis analyse(const std::string& project) {
  Analysis a;
  const ProjectTree source(project);
  const fs::path& root = source.root();
  const auto files = source.files([](const std::string& name) { return name.ends_with(".ts"); });
  Parser parser;
  for (const fs::path& p : files) {
    std::string bytes;
    try {
      bytes = output::read_file(p.string());
    } catch (const std::exception&) {
      continue;
    }
    if (bytes.find("next-auth") == std::string::npos || bytes.find("declare") == std::string::npos) continue;
    Augmenting aug{p.lexically_relative(root).generic_string(), SourceFile(p.string(), std::move(bytes)), Tree{}, {}};
    aug.tree = parser.parse(aug.file);
    if (!aug.tree) continue;
    for_each_named_child(aug.tree.root(), [&](TSNode statement) {
      if (!is(statement, "ambient_declaration")) return;
      for_each_named_child(statement, [&](TSNode module) {
        const TSNode name = field(module, "name");
        if (!is(module, "module") || !is(name, "string") || string_content(aug.file, name) != "next-auth") return;
        if (const TSNode body = field(module, "body"); !ts_node_is_null(body)) aug.blocks.push_back(body);
      });
    });
    if (aug.blocks.empty() || source.ignored(p)) continue;  // a file a rule names itself (the walk left out ignored folders)
    const size_t index = a.files.size();
    for (const TSNode block : aug.blocks) {
      for_each_named_child(block, [&](TSNode statement) {
        if (const TSNode decl = interface_in(statement); !ts_node_is_null(decl)) a.interfaces.push_back({index, decl});
      });
    }
    a.files.push_back(std::move(aug));
  }
  return a;
}

std::vector<const Interface*> interfaces_named(const Analysis& a, std::string_view name) {
  std::vector<const Interface*> out;
  for (const Interface& i : a.interfaces) {
    if (text(a.files[i.file].file, field(i.node, "name")) == name) out.push_back(&i);
  }
  return out;
}

// Where a member's type keeps its members: the object types of `{ ... } & DefaultSession["user"]`
// (through intersections, unions and parentheses), and the bodies of the next-auth interfaces a
// type name there names (`user: User`). Each as (file index, interface_body or object_type).
void bodies_of_type(const Analysis& a, size_t file, TSNode type, std::vector<std::pair<size_t, TSNode>>& out) {
  if (ts_node_is_null(type)) return;
  if (is(type, "object_type")) {
    out.emplace_back(file, type);
  } else if (is(type, "type_identifier")) {
    for (const Interface* i : interfaces_named(a, text(a.files[file].file, type))) {
      out.emplace_back(i->file, field(i->node, "body"));
    }
  } else if (is(type, "type_annotation") || is(type, "intersection_type") || is(type, "union_type") ||
             is(type, "parenthesized_type")) {
    for_each_named_child(type, [&](TSNode child) { bodies_of_type(a, file, child, out); });
  }
}

struct UserMember {
  size_t file = 0;
  TSNode member{};  // the property_signature `user`, null when no Session declares one
  std::vector<std::pair<size_t, TSNode>> bodies;
};

// The first Session's `user` member (`owner`), with where its type keeps members.
UserMember user_member(const Analysis& a, const std::string& owner) {
  UserMember u;
  for (const Interface* s : interfaces_named(a, "Session")) {
    const TSNode m = member_named(a.files[s->file].file, field(s->node, "body"), owner);
    if (ts_node_is_null(m)) continue;
    u.file = s->file;
    u.member = m;
    bodies_of_type(a, s->file, field(m, "type"), u.bodies);
    return u;
  }
  return u;
}

bool declared(const Analysis& a, const SessionField& f) {
  for (const Interface* s : interfaces_named(a, "Session")) {
    const SourceFile& file = a.files[s->file].file;
    const TSNode body = field(s->node, "body");
    if (!f.on_user) {
      if (!ts_node_is_null(member_named(file, body, f.member))) return true;
      continue;
    }
    const TSNode user = member_named(file, body, f.path.substr(0, f.path.find('.')));
    if (ts_node_is_null(user)) continue;
    std::vector<std::pair<size_t, TSNode>> bodies;
    bodies_of_type(a, s->file, field(user, "type"), bodies);
    for (const auto& [i, b] : bodies) {
      if (!ts_node_is_null(member_named(a.files[i].file, b, f.member))) return true;
    }
  }
  return false;
}

std::string display(const std::string& root, const std::string& rel) {
  std::error_code ec;
  const fs::path shown = fs::proximate(fs::path(root) / rel, fs::current_path(ec), ec);
  return ec ? (fs::path(root) / rel).string() : shown.generic_string();
}

// ---- the edit ---------------------------------------------------------------------------------

// Lines of new code, each with its depth below the place it goes.
using Lines = std::vector<std::pair<unsigned, std::string>>;

struct Insertion {
  uint32_t offset = 0;
  uint32_t length = 0;  // bytes replaced (an empty body's blanks)
  std::string text;
};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The indentation unit of the members of `body`: their indent less the indent of the line that
// opens it; the file's own unit when that does not tell.
std::string unit_of(const SourceFile& file, TSNode body, TSNode member) {
  const std::string_view outer = file.indentation_at(ts_node_start_byte(body));
  const std::string_view inner = file.indentation_at(ts_node_start_byte(member));
  if (inner.size() > outer.size() && inner.starts_with(outer)) return std::string(inner.substr(outer.size()));
  return file.raw_style().indent_unit;
}

// Inserts the lines `render(separator)` as the last member of `body` (an interface_body,
// object_type or statement_block), written as its other members are: on a line of its own at
// their indentation with their separator, or on the same line in a one-line body. A statement
// (`statement`) gets no separator and a blank line before it.
Insertion append_member(const SourceFile& file, TSNode body, bool statement,
                        const std::function<Lines(const std::string& separator)>& render) {
  const std::string& src = file.text();
  const std::string eol = file.raw_style().eol;
  const uint32_t open = ts_node_start_byte(body);
  const uint32_t close = ts_node_end_byte(body) - 1;
  TSNode last{};
  TSNode last_member{};
  for_each_named_child(body, [&](TSNode child) {
    last = child;
    if (!is(child, "comment")) last_member = child;
  });
  const bool multiline = file.position(open).line != file.position(close).line;
  // The separator after the last member, if any, and where it ends.
  std::string separator;
  uint32_t after_separator = 0;
  if (!statement && !ts_node_is_null(last_member)) {
    uint32_t p = ts_node_end_byte(last_member);
    while (p < close && is_blank(src[p])) ++p;
    if (src[p] == ';' || src[p] == ',') {
      separator = std::string(1, src[p]);
      after_separator = p + 1;
    }
  }
  auto flat = [](const Lines& lines) {
    std::string out;
    for (const auto& [depth, line] : lines) out += (out.empty() ? "" : " ") + line;
    return out;
  };
  auto indented = [&](const Lines& lines, const std::string& indent, const std::string& unit) {
    std::string out;
    for (const auto& [depth, line] : lines) {
      out += eol + indent;
      for (unsigned d = 0; d < depth; ++d) out += unit;
      out += line;
    }
    return out;
  };
  if (ts_node_is_null(last)) {  // an empty body: it gets a line of its own
    const std::string outer(file.indentation_at(open));
    const std::string unit = file.raw_style().indent_unit;
    const std::string sep = statement ? "" : ";";
    return Insertion{open + 1, close - open - 1, indented(render(sep), outer + unit, unit) + sep + eol + outer};
  }
  if (statement) {
    const std::string unit = unit_of(file, body, last);
    return Insertion{ts_node_end_byte(last), 0,
                     eol + indented(render(""), std::string(file.indentation_at(ts_node_start_byte(last))), unit)};
  }
  if (!multiline) {
    const std::string sep = separator.empty() ? ";" : separator;
    const Lines lines = render(sep);
    if (!separator.empty()) return Insertion{after_separator, 0, " " + flat(lines) + separator};
    return Insertion{ts_node_end_byte(last_member), 0, sep + " " + flat(lines)};
  }
  const std::string indent(file.indentation_at(ts_node_start_byte(last)));
  const std::string unit = unit_of(file, body, last);
  // Members without separators (a style TypeScript allows): the new one has none either.
  const std::string sep = separator.empty() && ts_node_is_null(last_member) ? ";" : separator;
  const Lines lines = render(sep.empty() ? ";" : sep);
  const bool after_comment = !ts_node_is_null(last_member) && !ts_node_eq(last, last_member);
  const uint32_t at = after_comment || separator.empty() ? ts_node_end_byte(last) : after_separator;
  return Insertion{at, 0, indented(lines, indent, unit) + sep};
}

std::string property(const SessionField& f, const std::string& sep) { return fmt::format("{}?: string{}", f.member, sep); }

// Whether the file imports DefaultSession from next-auth at its top level.
bool imports_default_session(const SourceFile& file, TSNode root) {
  bool found = false;
  for_each_named_child(root, [&](TSNode statement) {
    const TSNode source = field(statement, "source");
    if (!is(statement, "import_statement") || ts_node_is_null(source) || string_content(file, source) != "next-auth")
      return;
    walk_named(statement, [&](TSNode n) {
      if (is(n, "import_specifier") && text(file, field(n, "name")) == "DefaultSession") found = true;
      return !found;
    });
  });
  return found;
}

// `import type { DefaultSession } from "next-auth";` after the file's last import, or before its
// first statement.
Insertion default_session_import(const SourceFile& file, TSNode root, char quote) {
  const std::string eol = file.raw_style().eol;
  const std::string line = fmt::format("import type {{ DefaultSession }} from {0}next-auth{0};", quote);
  TSNode last_import{};
  TSNode first{};
  for_each_named_child(root, [&](TSNode statement) {
    if (is(statement, "import_statement")) last_import = statement;
    if (ts_node_is_null(first) && !is(statement, "comment")) first = statement;
  });
  if (!ts_node_is_null(last_import)) return Insertion{ts_node_end_byte(last_import), 0, eol + line};
  return Insertion{ts_node_start_byte(first), 0, line + eol + eol};
}

std::string apply_insertions(const std::string& text, std::vector<Insertion> insertions) {
  // Later offsets first; insertions at one offset keep the order they were made in.
  std::stable_sort(insertions.begin(), insertions.end(),
                   [](const Insertion& x, const Insertion& y) { return x.offset > y.offset; });
  std::string out = text;
  for (size_t i = 0; i < insertions.size();) {
    size_t j = i;
    std::string joined;
    while (j < insertions.size() && insertions[j].offset == insertions[i].offset) joined += insertions[j++].text;
    out.replace(insertions[i].offset, insertions[i].length, joined);
    i = j;
  }
  return out;
}

}  // namespace

std::string SessionTypes::missing() const {
  std::vector<std::string> names;
  if (!token.declared) names.push_back(token.path);
  if (!tenant.declared) names.push_back(tenant.path);
  return names.empty() ? "" : names.size() == 1 ? names[0] : names[0] + " and " + names[1];
}

std::string SessionTypes::describe() const {
  std::string shown;
  for (size_t i = 0; i < files.size(); ++i) {
    shown += (i == 0 ? "" : i + 1 == files.size() ? " and " : ", ") + display(root, files[i]);
  }
  const std::string verb = files.size() == 1 ? "declares" : "declare";
  if (!has_session) {
    return fmt::format("{} {} module \"next-auth\" but no interface Session there (so Session lacks {})", shown, verb,
                       missing());
  }
  return fmt::format("{} {} module \"next-auth\" but {} Session lacks {}", shown, verb,
                     files.size() == 1 ? "its" : "their", missing());
}

SessionTypes find_session_types(const std::string& project, const Config& config) {
  SessionTypes t;
  t.root = fs::absolute(project).lexically_normal().string();
  t.token = field_of(config.access_token_field);
  t.tenant = field_of(config.tenant_field);
  const Analysis a = analyse(project);
  for (const Augmenting& f : a.files) t.files.push_back(f.rel);
  t.has_session = !interfaces_named(a, "Session").empty();
  t.token.declared = declared(a, t.token);
  t.tenant.declared = declared(a, t.tenant);
  return t;
}

std::vector<TypesChange> complete_session_types(const std::string& project, const Config& config) {
  const Analysis a = analyse(project);
  if (a.files.empty()) {
    const std::string rel = "types/next-auth.d.ts";
    std::error_code ec;
    const bool exists = fs::exists(fs::path(project) / rel, ec);
    return {TypesChange{rel, exists ? output::read_file((fs::path(project) / rel).string()) : "",
                        session_augmentation(config), !exists}};
  }
  std::vector<SessionField> on_session, on_user;  // what is missing, by where it goes
  for (SessionField f : {field_of(config.access_token_field), field_of(config.tenant_field)}) {
    if (!declared(a, f)) (f.on_user ? on_user : on_session).push_back(f);
  }
  if (on_session.empty() && on_user.empty()) return {};
  const std::string owner = on_user.empty() ? "user" : on_user.front().path.substr(0, on_user.front().path.find('.'));
  // The quote the file names "next-auth" with, for the code added to it.
  auto quote_of = [&](size_t i) {
    return text(a.files[i].file, field(ts_node_parent(a.files[i].blocks.front()), "name")).front();
  };
  auto properties = [](const std::vector<SessionField>& fields, unsigned depth, const std::string& sep, Lines& lines) {
    for (size_t k = 0; k < fields.size(); ++k) {
      lines.emplace_back(depth, property(fields[k], k + 1 < fields.size() ? sep : ""));
    }
  };
  // `user?: { ... } & DefaultSession["user"]` with the fields on the user.
  auto user_lines = [&](unsigned depth, const std::string& sep, char quote, Lines& lines) {
    lines.emplace_back(depth, owner + "?: {");
    properties(on_user, depth + 1, sep, lines);
    lines.back().second += sep.empty() ? "" : sep;
    lines.emplace_back(depth, fmt::format("}} & DefaultSession[{0}{1}{0}]", quote, owner));
  };
  std::map<size_t, std::vector<Insertion>> edits;  // by file index
  std::map<size_t, bool> needs_default_session;
  const auto sessions = interfaces_named(a, "Session");
  const UserMember user = user_member(a, owner);
  if (sessions.empty()) {  // a block without Session: one is added to the first
    const char quote = quote_of(0);
    edits[0].push_back(append_member(a.files[0].file, a.files[0].blocks.front(), true, [&](const std::string&) {
      Lines lines{{0, "interface Session {"}};
      properties(on_session, 1, ";", lines);
      if (!on_session.empty()) lines.back().second += ";";
      if (!on_user.empty()) {
        user_lines(1, ";", quote, lines);
        lines.back().second += ";";
      }
      lines.emplace_back(0, "}");
      return lines;
    }));
    needs_default_session[0] = !on_user.empty();
  } else {
    const Interface* first = sessions.front();
    const bool new_user = !on_user.empty() && ts_node_is_null(user.member);
    if (!on_session.empty() || new_user) {
      const char quote = quote_of(first->file);
      edits[first->file].push_back(
          append_member(a.files[first->file].file, field(first->node, "body"), false, [&](const std::string& sep) {
            Lines lines;
            properties(on_session, 0, sep, lines);
            if (new_user) {
              if (!lines.empty()) lines.back().second += sep;
              user_lines(0, sep, quote, lines);
            }
            return lines;
          }));
      needs_default_session[first->file] = new_user;
    }
    if (!on_user.empty() && !new_user && !user.bodies.empty()) {
      const auto& [i, body] = user.bodies.front();
      edits[i].push_back(append_member(a.files[i].file, body, false, [&](const std::string& sep) {
        Lines lines;
        properties(on_user, 0, sep, lines);
        return lines;
      }));
    } else if (!on_user.empty() && !new_user) {
      // `user: DefaultSession["user"]`, or a type routeauth does not follow: intersect it.
      const TSNode type = ts_node_named_child(field(user.member, "type"), 0);
      const bool wrap = is(type, "union_type") || is(type, "function_type") || is(type, "conditional_type") ||
                        is(type, "constructor_type");
      std::string fields;
      for (const SessionField& f : on_user) fields += property(f, ";") + " ";
      auto& list = edits[user.file];
      list.push_back(Insertion{ts_node_start_byte(type), 0, "{ " + fields + "} & " + (wrap ? "(" : "")});
      if (wrap) list.push_back(Insertion{ts_node_end_byte(type), 0, ")"});
    }
  }
  const std::string root = fs::absolute(project).lexically_normal().string();
  std::vector<TypesChange> changes;
  Parser parser;
  for (auto& [i, list] : edits) {
    const Augmenting& f = a.files[i];
    if (needs_default_session[i] && !imports_default_session(f.file, f.tree.root())) {
      list.push_back(default_session_import(f.file, f.tree.root(), quote_of(i)));
    }
    if (const auto error = first_syntax_error(f.tree.root())) {
      const Position at = f.file.position(error->offset);
      throw std::runtime_error(fmt::format("{}:{}:{}: does not parse; fix it, then run init --types again",
                                           display(root, f.rel), at.line, at.column));
    }
    TypesChange change{f.rel, f.file.text(), apply_insertions(f.file.text(), list), false};
    const SourceFile edited(f.file.path(), change.after);
    const Tree tree = parser.parse(edited);
    if (!tree || first_syntax_error(tree.root())) {
      throw std::runtime_error(
          fmt::format("{}: the fields added to it would not parse; add them by hand", display(root, f.rel)));
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

std::string session_augmentation(const Config& config) {
  const SessionField token = field_of(config.access_token_field);
  const SessionField tenant = field_of(config.tenant_field);
  return fmt::format(
      "// Written by `routeauth init`: the session fields the migrated API routes read.\n"
      "import {{ DefaultSession }} from \"next-auth\";\n"
      "\n"
      "declare module \"next-auth\" {{\n"
      "  interface Session {{\n"
      "    {0}?: string;\n"
      "    user: {{\n"
      "      {1}?: string;\n"
      "    }} & DefaultSession[\"user\"];\n"
      "  }}\n"
      "}}\n",
      token.member, tenant.member);
}

}  // namespace routeauth::engine
