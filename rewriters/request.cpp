#include "rewriters/request.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rewriters/common.h"

namespace routeauth::rewriters {

using namespace engine;

namespace {

// The edits importing NextRequest from next/server (merged into its import when there is one),
// none when the file imports it already.
std::vector<Edit> import_next_request(const RouteFile& route) {
  const Import* next_server = nullptr;
  for (const auto& imp : route.imports) {
    if (imp.find("NextRequest")) return {};
    if (imp.source == "next/server" && !imp.type_only && !merge_into_import(route, imp, "NextRequest").empty()) {
      next_server = &imp;
    }
  }
  if (next_server) return merge_into_import(route, *next_server, "NextRequest");
  return {insert_import_lines(route, fmt::format("import {{ NextRequest }} from {}{}{}", route.style.quoted("next/server"),
                                                 import_semi(route), route.style.eol))};
}

// Inserts `item` as the first item of a parameter or argument list: right after `(`, or on a line
// of its own when the first item starts its own line.
Edit prepend_item(const RouteFile& route, TSNode list, const std::string& item) {
  const SourceFile& file = route.source();
  const uint32_t open_end = ts_node_start_byte(list) + 1;
  TSNode first{};
  for (uint32_t i = 0; i < ts_node_named_child_count(list) && ts_node_is_null(first); ++i) {
    if (!is(ts_node_named_child(list, i), "comment")) first = ts_node_named_child(list, i);
  }
  if (ts_node_is_null(first)) return Edit{open_end, 0, item};
  const uint32_t at = ts_node_start_byte(first);
  if (file.position(at).line == file.position(open_end).line) return Edit{at, 0, item + ", "};
  return Edit{at, 0, item + "," + route.style.eol + indentation(route, at)};
}

// Whether a parameter is typed exactly `Request` (the Fetch API's, which a NextRequest parameter
// would not take).
bool typed_plain_request(const SourceFile& file, const Handler& handler) {
  if (handler.params.empty() || ts_node_is_null(handler.params.front().type)) return false;
  const TSNode type = ts_node_named_child(handler.params.front().type, 0);
  return text(file, type) == "Request";
}

// A same-file wrapper not handed the request: a first parameter `request: NextRequest` (`Request`
// when a caller's is typed so; untyped in JavaScript), and at every call the caller's request,
// which a caller without one gets as a handler does.
RequestPlan plan_wrapper_request(const RouteFile& route, const Handler& wrapper) {
  const SourceFile& file = route.source();
  RequestPlan plan;
  plan.name = fresh_name("request", declared_names(route, wrapper.function));
  bool plain = false;
  std::vector<Edit> calls;
  for (const Handler& caller : route.handlers) {
    for (TSNode call : caller.same_file_wrapper_calls) {
      if (text(file, field(call, "function")) != text(file, wrapper.name)) continue;
      RequestPlan theirs = plan_request(route, caller);
      if (theirs.destructured) {  // the route model adopts no such wrapper; never a guess
        plan.destructured = true;
        plan.edits.clear();
        return plan;
      }
      plain = plain || typed_plain_request(file, caller);
      add(calls, std::move(theirs.edits));
      calls.push_back(prepend_item(route, field(call, "arguments"), theirs.name));
    }
  }
  std::string parameter = plan.name;
  if (file.is_typescript()) {
    parameter += plain ? ": Request" : ": NextRequest";
    if (!plain) add(plan.edits, import_next_request(route));
  }
  plan.edits.push_back(prepend_item(route, wrapper.parameters, parameter));
  add(plan.edits, std::move(calls));
  return plan;
}

}  // namespace

RequestPlan plan_request(const RouteFile& route, const Handler& handler) {
  if (handler.needs_request) return plan_wrapper_request(route, handler);
  const SourceFile& file = route.source();
  RequestPlan plan;
  if (!handler.params.empty()) {
    const auto& first = handler.params.front();
    if (is(first.pattern, "identifier")) {
      plan.name = std::string(text(file, first.pattern));
    } else {
      plan.destructured = true;
    }
    return plan;
  }
  plan.name = fresh_name("request", declared_names(route, handler.function));
  const bool typed = file.is_typescript();
  const std::string param = typed ? plan.name + ": NextRequest" : plan.name;
  if (is(handler.parameters, "formal_parameters")) {
    plan.edits.push_back(Edit{ts_node_start_byte(handler.parameters) + 1, 0, param});
  } else {
    plan.destructured = true;  // no parameter list to add to: leave it to a person
    return plan;
  }
  if (typed) add(plan.edits, import_next_request(route));
  return plan;
}

std::string read_test(const RouteFile& route, const Handler& handler, std::string_view request) {
  const auto& methods = handler.read_methods;
  if (methods.empty()) return {};
  const Style& s = route.style;
  if (methods.size() == 1) return fmt::format("{}.method === {}", request, s.quoted(methods.front()));
  std::vector<std::string> quoted;
  for (const auto& m : methods) quoted.push_back(s.quoted(m));
  return fmt::format("[{}].includes({}.method)", fmt::join(quoted, ", "), request);
}

}  // namespace routeauth::rewriters
