#include "rewriters/session_import.h"

#include <fmt/format.h>

#include <algorithm>

namespace routeauth::rewriters {

using namespace engine;

namespace {

bool is_next_auth(std::string_view source) { return source == "next-auth" || source == "next-auth/next"; }

// Where new import lines go, and with what around them.
struct ImportSite {
  uint32_t offset;
  std::string before;  // text to put before the lines (a line break when at the end of a file)
  std::string after;   // text to put after them (a blank line when code follows directly)
};

ImportSite import_site(const RouteFile& route) {
  const SourceFile& file = route.source();
  const Style& style = route.style;
  const std::string& text = file.text();
  auto after_line_of = [&](TSNode node) {
    const uint32_t end = ts_node_end_byte(node);
    const uint32_t next = file.next_line_start(end);
    if (next == text.size() && (text.empty() || text.back() != '\n')) {
      return ImportSite{static_cast<uint32_t>(text.size()), style.eol, ""};
    }
    return ImportSite{next, "", ""};
  };
  if (!route.imports.empty()) {
    TSNode last = route.imports.front().statement;
    for (const auto& imp : route.imports) {
      if (ts_node_start_byte(imp.statement) > ts_node_start_byte(last)) last = imp.statement;
    }
    return after_line_of(last);
  }
  auto blank_line_at = [&](uint32_t offset) {
    return offset < text.size() && file.line_end(offset) == offset;
  };
  if (!route.directives.empty()) {
    // A blank line between the prologue and the imports, and between the imports and the code.
    ImportSite site = after_line_of(route.directives.back());
    if (blank_line_at(site.offset)) {
      site.offset = file.next_line_start(site.offset);
      if (!blank_line_at(site.offset) && site.offset < text.size()) site.after = style.eol;
    } else {
      site.before += style.eol;
      if (site.offset < text.size()) site.after = style.eol;
    }
    return site;
  }
  // No imports, no directives: before the first statement, but after a header comment that is
  // separated from it by a blank line (a licence, a pragma); a comment attached to the first
  // statement stays attached to it.
  const uint32_t n = ts_node_named_child_count(route.root);
  TSNode first{};
  std::vector<TSNode> comments;
  for (uint32_t i = 0; i < n; ++i) {
    TSNode c = ts_node_named_child(route.root, i);
    if (is(c, "comment")) {
      comments.push_back(c);
      continue;
    }
    first = c;
    break;
  }
  if (ts_node_is_null(first)) {
    if (comments.empty()) return ImportSite{file.bom_size(), "", ""};
    ImportSite site = after_line_of(comments.back());
    site.before = style.eol + site.before;
    if (site.offset == text.size()) site.before = style.eol + style.eol;
    return site;
  }
  uint32_t at = file.line_start(ts_node_start_byte(first));
  // Walk back over comments that touch the statement (no blank line in between).
  for (auto it = comments.rbegin(); it != comments.rend(); ++it) {
    const uint32_t comment_line_end = file.next_line_start(ts_node_end_byte(*it));
    if (comment_line_end != at) break;
    at = file.line_start(ts_node_start_byte(*it));
  }
  if (at == 0) at = file.bom_size();
  return ImportSite{at, "", style.eol};
}

// The edits adding `name` to an existing value import's clause, or none when the clause cannot
// take it (a namespace import).
std::vector<Edit> merge_into(const RouteFile& route, const Import& imp, std::string_view name) {
  const SourceFile& file = route.source();
  TSNode braces = imp.named_imports;
  if (!ts_node_is_null(braces)) {
    // The last specifier, and a trailing comma after it if any.
    TSNode last{};
    TSNode trailing_comma{};
    const uint32_t n = ts_node_child_count(braces);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode c = ts_node_child(braces, i);
      if (is(c, "import_specifier")) {
        last = c;
        trailing_comma = TSNode{};
      } else if (!ts_node_is_named(c) && type(c) == "," && !ts_node_is_null(last)) {
        trailing_comma = c;
      }
    }
    if (ts_node_is_null(last)) {
      // `import {} from "next-auth"`
      return {Edit{ts_node_start_byte(braces), ts_node_end_byte(braces) - ts_node_start_byte(braces),
                   fmt::format("{{ {} }}", name)}};
    }
    const bool multiline = file.position(ts_node_start_byte(last)).line !=
                           file.position(ts_node_start_byte(braces)).line;
    if (multiline) {
      const std::string indent(file.indentation_at(ts_node_start_byte(last)));
      // The new line goes after a comment that ends the last specifier's line
      // (`Session, // for the helper`): the comment stays with the name it was written for.
      const TSNode anchor = ts_node_is_null(trailing_comma) ? last : trailing_comma;
      uint32_t line_end_at = ts_node_end_byte(anchor);
      const uint32_t anchor_line = file.position(ts_node_end_byte(anchor)).line;
      for (uint32_t i = 0; i < n; ++i) {
        TSNode c = ts_node_child(braces, i);
        if (is(c, "comment") && ts_node_start_byte(c) >= line_end_at &&
            file.position(ts_node_start_byte(c)).line == anchor_line) {
          line_end_at = ts_node_end_byte(c);
        }
      }
      const std::string line = fmt::format("{}{}{}", route.style.eol, indent, name);
      if (!ts_node_is_null(trailing_comma)) return {Edit{line_end_at, 0, line + ","}};
      if (line_end_at == ts_node_end_byte(last)) return {Edit{line_end_at, 0, "," + line}};
      return {Edit{ts_node_end_byte(last), 0, ","}, Edit{line_end_at, 0, line}};
    }
    if (!ts_node_is_null(trailing_comma)) {
      return {Edit{ts_node_end_byte(trailing_comma), 0, fmt::format(" {},", name)}};
    }
    return {Edit{ts_node_end_byte(last), 0, fmt::format(", {}", name)}};
  }
  if (imp.default_name && !imp.namespace_name) {
    // import NextAuth from "next-auth"  ->  import NextAuth, { getServerSession } from "next-auth"
    TSNode clause{};
    for (uint32_t i = 0; i < ts_node_named_child_count(imp.statement); ++i) {
      TSNode c = ts_node_named_child(imp.statement, i);
      if (is(c, "import_clause")) clause = c;
    }
    return {Edit{ts_node_end_byte(clause), 0, fmt::format(", {{ {} }}", name)}};
  }
  return {};
}

// The semicolon of a new import line: as the file's other imports end when they agree more
// often than not (a file may mix styles; the new lines sit next to the imports), else the file's.
std::string_view import_semi(const RouteFile& route) {
  size_t with = 0;
  size_t without = 0;
  for (const auto& imp : route.imports) {
    const uint32_t end = ts_node_end_byte(imp.statement);
    (end > 0 && route.source().text()[end - 1] == ';') ? ++with : ++without;
  }
  if (with == without) return route.style.semi();
  return with > without ? ";" : "";
}

// Whether an import binds `local` for types only (`import type { authOptions }`,
// `import { type authOptions }`): such a name cannot be called or passed as a value, and a value
// import of the same name would be a duplicate declaration.
bool bound_as_type_only(const RouteFile& route, std::string_view local) {
  const SourceFile& file = route.source();
  for (const auto& imp : route.imports) {
    if (imp.type_only) {
      if (imp.default_name == local) return true;
      for (const auto& n : imp.named) {
        if (n.local == local) return true;
      }
    }
    if (ts_node_is_null(imp.named_imports)) continue;
    for (uint32_t i = 0; i < ts_node_named_child_count(imp.named_imports); ++i) {
      TSNode spec = ts_node_named_child(imp.named_imports, i);
      if (!is(spec, "import_specifier")) continue;
      TSNode name = field(spec, "name");
      TSNode alias = field(spec, "alias");
      bool type_token = false;
      for (uint32_t j = 0; j < ts_node_child_count(spec); ++j) {
        TSNode c = ts_node_child(spec, j);
        if (ts_node_start_byte(c) >= ts_node_start_byte(name)) break;
        if (!ts_node_is_named(c) && type(c) == "type") type_token = true;
      }
      if (type_token && text(file, ts_node_is_null(alias) ? name : alias) == local) return true;
    }
  }
  return false;
}

}  // namespace

void SessionImport::diagnose(const RouteFile& route, const Config& config,
                             std::vector<Finding>& out) const {
  const auto needing = std::find_if(route.handlers.begin(), route.handlers.end(),
                                    [](const Handler& h) { return h.has_backend_fetch(); });
  if (needing == route.handlers.end()) return;
  const uint32_t at = ts_node_start_byte(needing->name);
  const Style& style = route.style;

  // A name the migration needs as a value, taken by a type-only import: a person decides
  // whether to make that import a value import.
  for (const std::string_view name : {"getServerSession", "authOptions"}) {
    if (!bound_as_type_only(route, name)) continue;
    out.push_back(Finding{"manual-review", at, Severity::error,
                          fmt::format("'{}' is imported with 'type' and cannot be used as a value; "
                                      "import it as a value, then run again",
                                      name),
                          {}, {}});
    return;
  }

  // getServerSession: imported from next-auth (any alias) is present; the name taken by
  // anything else is for a person to sort out.
  bool has_session_fn = false;
  const Import* merge_target = nullptr;
  for (const auto& imp : route.imports) {
    if (is_next_auth(imp.source) && !imp.type_only && imp.find("getServerSession")) {
      has_session_fn = true;
    }
  }
  if (!has_session_fn && route.declares("getServerSession")) {
    std::string from = "this file";
    for (const auto& imp : route.imports) {
      for (const auto& n : imp.named) {
        if (n.local == "getServerSession") from = fmt::format("'{}'", imp.source);
      }
    }
    out.push_back(Finding{"manual-review", at, Severity::error,
                          fmt::format("'getServerSession' comes from {}, not next-auth; check that it "
                                      "is NextAuth's session call, or rename it, then run again",
                                      from),
                          {}, {}});
    return;
  }
  if (!has_session_fn) {
    for (const auto& imp : route.imports) {
      if (!is_next_auth(imp.source) || imp.type_only) continue;
      if (merge_into(route, imp, "getServerSession").empty()) continue;
      if (!merge_target || (imp.source == "next-auth" && merge_target->source != "next-auth")) {
        merge_target = &imp;
      }
    }
  }

  // authOptions: imported from any module, under any alias, or declared here.
  bool has_auth_options = route.declares("authOptions");
  for (const auto& imp : route.imports) {
    if (!imp.type_only && imp.find("authOptions")) has_auth_options = true;
  }

  if (has_session_fn && has_auth_options) return;

  Finding finding;
  finding.rule = std::string(id());
  finding.offset = at;
  std::vector<std::string> missing;
  if (!has_session_fn) missing.emplace_back("'getServerSession'");
  if (!has_auth_options) missing.emplace_back("'authOptions'");
  finding.message = fmt::format(
      "{} {} not imported; {} calls the backend and needs the user's session",
      fmt::join(missing, " and "), missing.size() == 1 ? "is" : "are", needing->method);

  std::string lines;
  if (!has_session_fn) {
    if (merge_target) {
      for (Edit& e : merge_into(route, *merge_target, "getServerSession")) {
        finding.fix.push_back(std::move(e));
      }
    } else {
      lines += fmt::format("import {{ getServerSession }} from {}{}{}", style.quoted("next-auth"),
                           import_semi(route), style.eol);
    }
  }
  if (!has_auth_options) {
    lines += fmt::format("import {{ authOptions }} from {}{}{}", style.quoted(config.auth_options_module),
                         import_semi(route), style.eol);
  }
  if (!lines.empty()) {
    ImportSite site = import_site(route);
    std::string insertion = site.before + lines + site.after;
    // At the very end of a file without a final newline, keep it that way.
    if (site.offset == route.source().text().size() && !route.source().ends_with_newline() &&
        insertion.ends_with(style.eol)) {
      insertion.resize(insertion.size() - style.eol.size());
    }
    finding.fix.push_back(Edit{site.offset, 0, std::move(insertion)});
  }
  out.push_back(std::move(finding));
}

}  // namespace routeauth::rewriters
