#include "rewriters/no_store.h"

#include <fmt/format.h>

#include "rewriters/common.h"
#include "rewriters/request.h"

namespace routeauth::rewriters {

using namespace engine;

namespace {

// 'no-store', "no-store" or `no-store`.
bool is_no_store(const SourceFile& file, TSNode value) {
  if (is(value, "string")) return string_content(file, value) == "no-store";
  return is(value, "template_string") && text(file, value) == "`no-store`";
}

// The object literal a `const` of the handler holds (`const init = { ... }; fetch(url, init)`),
// or null when the name is anything else (a parameter, a `let`, a call's result).
TSNode const_object(const SourceFile& file, const Handler& handler, TSNode name) {
  std::vector<TSNode> stack{handler.function};
  TSNode found{};
  int declarations = 0;
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (is(n, "variable_declarator") && text(file, field(n, "name")) == text(file, name)) {
      ++declarations;
      TSNode declaration = ts_node_parent(n);
      TSNode value = field(n, "value");
      if (is(declaration, "lexical_declaration") && text(file, ts_node_child(declaration, 0)) == "const" &&
          is(value, "object")) {
        found = value;
      }
    }
    for_each_named_child(n, [&](TSNode child) { stack.push_back(child); });
  }
  return declarations == 1 ? found : TSNode{};
}

// `...(<read test> ? { cache: 'no-store' } : {})` among the options: a wrapper serving reads and
// mutations opting its reads out of the cache.
bool spreads_no_store(const RouteFile& route, TSNode options) {
  bool found = false;
  for_each_named_child(options, [&](TSNode c) {
    if (!is(c, "spread_element")) return;
    TSNode arg = ts_node_named_child(c, 0);
    while (is(arg, "parenthesized_expression")) arg = ts_node_named_child(arg, 0);
    TSNode chosen = is(arg, "ternary_expression") ? field(arg, "consequence") : TSNode{};
    if (!is(chosen, "object")) return;
    TSNode cache = find_property(route, chosen, "cache");
    if (!is(cache, "pair")) return;
    TSNode value = field(cache, "value");
    if (is(value, "as_expression")) value = ts_node_named_child(value, 0);
    found = found || is_no_store(route.source(), value);
  });
  return found;
}

}  // namespace

void NoStore::diagnose(const RouteFile& route, const Config& config, std::vector<Finding>& out) const {
  const SourceFile& file = route.source();
  const Style& style = route.style;
  const std::string no_store = "cache: " + style.quoted("no-store");
  for (const Handler& handler : route.handlers) {
    if (!config.is_read(handler.method)) continue;
    // A wrapper serving reads and mutations opts out for reads only, leaving a mutation's options
    // as they were: `...(request.method === 'GET' ? { cache: 'no-store' as const } : {})`.
    const RequestPlan request = handler.read_methods.empty() ? RequestPlan{} : plan_request(route, handler);
    const std::string read = read_test(route, handler, request.name);
    const std::string wanted =
        read.empty() ? no_store
                     : fmt::format("...({} ? {{ {}{} }} : {{}})", read, no_store, file.is_typescript() ? " as const" : "");
    for (const Fetch& fetch : handler.fetches) {
      if (!fetch.backend) continue;
      Finding finding;
      finding.rule = std::string(id());
      finding.offset = ts_node_start_byte(fetch.call);
      finding.message = fmt::format(
          "{} backend fetch can be cached; per-user, per-tenant responses must not be served from "
          "Next's fetch cache to another user (cache: 'no-store')",
          handler.method);
      if (ts_node_is_null(fetch.options)) {
        TSNode arguments = ts_node_parent(fetch.url);
        add(finding.fix, append_item(route, arguments, [&](const std::string&) { return "{ " + wanted + " }"; }));
        add(finding.fix, request.edits);
        out.push_back(std::move(finding));
        continue;
      }
      if (is(fetch.options, "identifier")) {
        // A const options object that already opts out: compliant (no fix would be safe anyway).
        TSNode object = const_object(file, handler, fetch.options);
        TSNode cache = ts_node_is_null(object) ? TSNode{} : find_property(route, object, "cache");
        if (is(cache, "pair") && is_no_store(file, field(cache, "value"))) continue;
      }
      if (!is(fetch.options, "object")) {
        finding.rule = "manual-review";
        finding.freeze(fetch.call);
        finding.message = fmt::format(
            "{} backend fetch takes its options from `{}`; make sure they set cache: 'no-store', or the "
            "response can be served to another user",
            handler.method, text(file, fetch.options));
        out.push_back(std::move(finding));
        continue;
      }
      if (!read.empty() && spreads_no_store(route, fetch.options)) continue;
      TSNode cache = find_property(route, fetch.options, "cache");
      if (is(cache, "pair")) {
        TSNode value = field(cache, "value");
        if (is_no_store(file, value)) continue;
        finding.offset = ts_node_start_byte(cache);
        finding.message = fmt::format(
            "{} backend fetch sets {}; the route chose to cache per-user, per-tenant data, which can be "
            "served to another user: review it, or use cache: 'no-store'",
            handler.method, text(file, cache));
        out.push_back(std::move(finding));
        continue;
      }
      TSNode next = find_property(route, fetch.options, "next");
      TSNode revalidate = is(next, "pair") && is(field(next, "value"), "object")
                              ? find_property(route, field(next, "value"), "revalidate")
                              : TSNode{};
      // `revalidate: 0` opts out of the cache as no-store does.
      if (is(revalidate, "pair") && text(file, field(revalidate, "value")) == "0") continue;
      if (!ts_node_is_null(revalidate)) {
        finding.offset = ts_node_start_byte(next);
        finding.message = fmt::format(
            "{} backend fetch revalidates ({}) instead of opting out of the cache; per-tenant data can be "
            "served to another user: review it, or use cache: 'no-store'",
            handler.method, text(file, field(next, "value")));
        out.push_back(std::move(finding));
        continue;
      }
      add(finding.fix, append_item(route, fetch.options, [&](const std::string&) { return wanted; }));
      add(finding.fix, request.edits);
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace routeauth::rewriters
