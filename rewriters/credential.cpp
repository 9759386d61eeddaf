#include "rewriters/credential.h"

#include <fmt/format.h>

namespace routeauth::rewriters {

using namespace engine;

std::string bearer_expression(const RouteFile& route, const Config& config, std::string_view session,
                              std::string_view request, const std::string& indent, bool inline_layout,
                              std::optional<std::string> previous) {
  const Style& style = route.style;
  const std::string chained = optional_chain(session, config.access_token_field);
  const std::string plain = fmt::format("{}.{}", session, config.access_token_field);
  const std::string fallback =
      previous ? *previous
               : fmt::format("({}.headers.get({}) || {})", request, style.quoted("authorization"), style.quoted(""));
  if (inline_layout) return fmt::format("{} ? `Bearer ${{{}}}` : {}", chained, plain, fallback);
  const std::string inner = indent + style.indent_unit;
  return fmt::format("{}{}{}? `Bearer ${{{}}}`{}{}: {}", chained, style.eol, inner, plain, style.eol, inner,
                     fallback);
}

std::string omitted_when_empty(const RouteFile& route, const Config& config, std::string_view session,
                               std::string_view request, const std::string& indent, bool inline_layout) {
  const Style& style = route.style;
  const std::string chained = optional_chain(session, config.access_token_field);
  const std::string caller = fmt::format("{}.headers.get({})", request, style.quoted("authorization"));
  const std::string bang = route.source().is_typescript() ? "!" : "";
  const std::string value = fmt::format("{{ {}: {} ? `Bearer ${{{}.{}}}` : {}{} }}", style.quoted("Authorization"),
                                        chained, session, config.access_token_field, caller, bang);
  if (inline_layout) return fmt::format("...({} || {} ? {} : {{}})", chained, caller, value);
  const std::string inner = indent + style.indent_unit;
  return fmt::format("...({} || {}{}{}? {}{}{}: {{}})", chained, caller, style.eol, inner, value, style.eol, inner);
}

std::string fallback_operand(const RouteFile& route, TSNode value) {
  static constexpr std::string_view primary[] = {"identifier",     "member_expression",   "subscript_expression",
                                                 "call_expression", "string",              "template_string",
                                                 "non_null_expression", "parenthesized_expression"};
  const std::string t(text(route.source(), value));
  for (std::string_view kind : primary) {
    if (is(value, kind)) return t;
  }
  return "(" + t + ")";
}

bool plain_caller_read(const RouteFile& route, TSNode value, std::string_view request) {
  const SourceFile& file = route.source();
  if (is(value, "parenthesized_expression")) value = ts_node_named_child(value, 0);
  if (is(value, "non_null_expression")) value = ts_node_named_child(value, 0);
  if (is(value, "binary_expression")) {
    const std::string_view op = text(file, field(value, "operator"));
    TSNode right = field(value, "right");
    if ((op != "||" && op != "??") || !is(right, "string") || !string_content(file, right).empty()) return false;
    value = field(value, "left");
  }
  if (!is(value, "call_expression")) return false;
  TSNode fn = field(value, "function");
  TSNode args = field(value, "arguments");
  TSNode arg = ts_node_named_child(args, 0);
  if (!is(fn, "member_expression") || text(file, field(fn, "property")) != "get" ||
      ts_node_named_child_count(args) != 1 || !is(arg, "string")) {
    return false;
  }
  std::string name(string_content(file, arg));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  TSNode headers = field(fn, "object");
  return name == "authorization" && is(headers, "member_expression") &&
         text(file, field(headers, "property")) == "headers" && text(file, field(headers, "object")) == request;
}

std::string render_guide_block(const RouteFile& route, const Config& config, const GuideBlock& b,
                               std::string_view session, std::string_view request, const std::string& indent) {
  const Style& s = route.style;
  const std::string& eol = s.eol;
  const std::string inner = indent + s.indent_unit;
  const std::string key = s.quoted(b.key);
  const std::string caller = fmt::format("{}.headers.get({})", request, s.quoted("authorization"));
  const std::string parts = optional_chain(session, config.access_token_field);
  const std::string bearer = fmt::format("`Bearer ${{{}.{}}}`", session, config.access_token_field);
  const std::string fallback = caller + (route.source().is_typescript() ? "!" : "");
  auto assign = [&](const std::string& value) {
    return b.use_set ? fmt::format("{}.set({}, {}){}", b.name, key, value, s.semi())
                     : fmt::format("{}[{}] = {}{}", b.name, key, value, s.semi());
  };
  std::string out;
  if (b.init) {
    out += fmt::format("{}const {}{} = {}{}{}", indent, b.name, b.annotate ? ": HeadersInit" : "", *b.init, s.semi(),
                       eol);
  }
  out += fmt::format("{}if ({}) {{{}", indent, parts, eol);
  out += fmt::format("{}{}{}", inner, assign(bearer), eol);
  if (b.previous) {
    out += fmt::format("{}}} else {{{}", indent, eol);
    out += fmt::format("{}{}{}", inner, assign(*b.previous), eol);
  } else {
    // `.has` is case-insensitive: whatever the opaque source held stays when there is no session.
    const std::string guard = b.keep_existing ? fmt::format("!{}.has({}) && ", b.name, key) : std::string();
    out += fmt::format("{}}} else if ({}{}) {{{}", indent, guard, caller, eol);
    out += fmt::format("{}{}{}", inner, assign(fallback), eol);
  }
  out += fmt::format("{}}}{}", indent, eol);
  return out;
}

}  // namespace routeauth::rewriters
