#include "rewriters/session_call.h"

#include <fmt/format.h>

#include "rewriters/common.h"
#include "rewriters/session_read.h"

namespace routeauth::rewriters {

using namespace engine;

namespace {

bool is_async(TSNode function) {
  for (uint32_t i = 0; i < ts_node_child_count(function); ++i) {
    TSNode c = ts_node_child(function, i);
    if (!ts_node_is_named(c) && type(c) == "async") return true;
  }
  return false;
}

}  // namespace

void SessionCall::diagnose(const RouteFile& route, const Config& config, std::vector<Finding>& out) const {
  if (session_imports_blocked(route, config)) return;  // session-import asks a person first
  const SourceFile& file = route.source();
  const Style& style = route.style;
  for (const Handler& handler : route.handlers) {
    if (!handler.has_backend_fetch()) continue;
    const SessionPlan plan = plan_session(route, handler, config);
    if (plan.exists) {
      if (plan.destructured) {
        out.push_back(ask_person(
            ts_node_start_byte(plan.declaration),
            fmt::format("{} destructures the session; bind it to a name (`const session = await "
                        "{}(...)`) so the bearer token and tenant can be read from it",
                        handler.who(text(file, handler.name)), plan.function),
            plan.declaration));
      }
      continue;
    }
    Finding finding;
    finding.rule = std::string(id());
    finding.offset = ts_node_start_byte(handler.name);
    finding.message = fmt::format(
        "{} calls the backend without reading the session; the backend cannot tell which user "
        "and tenant the request is for",
        handler.who(text(file, handler.name)));
    const std::string statement =
        fmt::format("const {} = await {}{}", plan.name, new_session_call(route, config), style.semi());
    if (!is_async(handler.function)) {
      finding.fix.push_back(Edit{ts_node_start_byte(handler.function), 0, "async "});
    }
    if (!ts_node_is_null(plan.block)) {
      finding.fix.push_back(insert_at_block_start(
          route, plan.block, [&](const std::string& indent) { return indent + statement + style.eol; }));
    } else {
      // An expression body becomes a block that reads the session and returns the expression.
      // The block opens right after `=>` (also when the expression sat on the next line), and
      // the expression's lines move from its own line's indentation to the block's.
      const std::string base = indentation(route, ts_node_start_byte(handler.function));
      const std::string inner = base + style.indent_unit;
      const std::string expr = reindent(text(file, handler.body), indentation(route, ts_node_start_byte(handler.body)),
                                        inner, style.eol);
      // From the end of `=>` when only blanks separate it from the expression (a comment there
      // stays, and the block opens where the expression did).
      uint32_t begin = ts_node_start_byte(handler.body);
      std::string_view open = "{";
      for (uint32_t i = 0; i < ts_node_child_count(handler.function); ++i) {
        TSNode c = ts_node_child(handler.function, i);
        if (ts_node_is_named(c) || type(c) != "=>") continue;
        const std::string_view gap = file.slice(ts_node_end_byte(c), begin);
        if (gap.find_first_not_of(" \t\r\n") == std::string_view::npos) {
          begin = ts_node_end_byte(c);
          open = " {";
        }
      }
      finding.fix.push_back(Edit{
          begin, ts_node_end_byte(handler.body) - begin,
          fmt::format("{open}{eol}{inner}{stmt}{eol}{inner}return {expr}{semi}{eol}{base}}}", fmt::arg("open", open),
                      fmt::arg("eol", style.eol), fmt::arg("inner", inner), fmt::arg("stmt", statement),
                      fmt::arg("expr", expr), fmt::arg("semi", style.semi()), fmt::arg("base", base))});
    }
    out.push_back(std::move(finding));
  }
}

}  // namespace routeauth::rewriters
