#include "rewriters/no_store.h"

#include <fmt/format.h>

#include "rewriters/common.h"

namespace routeauth::rewriters {

using namespace engine;

void NoStore::diagnose(const RouteFile& route, const Config& config, std::vector<Finding>& out) const {
  const SourceFile& file = route.source();
  const Style& style = route.style;
  const std::string no_store = "cache: " + style.quoted("no-store");
  for (const Handler& handler : route.handlers) {
    if (!config.is_read(handler.method)) continue;
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
        add(finding.fix, append_item(route, arguments, [&](const std::string&) { return "{ " + no_store + " }"; }));
        out.push_back(std::move(finding));
        continue;
      }
      if (!is(fetch.options, "object")) {
        finding.rule = "manual-review";
        finding.message = fmt::format(
            "{} backend fetch takes its options from `{}`; make sure they set cache: 'no-store', or the "
            "response can be served to another user",
            handler.method, text(file, fetch.options));
        out.push_back(std::move(finding));
        continue;
      }
      TSNode cache = find_property(route, fetch.options, "cache");
      if (is(cache, "pair")) {
        TSNode value = field(cache, "value");
        if (is(value, "string") && string_content(file, value) == "no-store") continue;
        finding.offset = ts_node_start_byte(cache);
        finding.message = fmt::format(
            "{} backend fetch sets {}; the route chose to cache per-user, per-tenant data, which can be "
            "served to another user: review it, or use cache: 'no-store'",
            handler.method, text(file, cache));
        out.push_back(std::move(finding));
        continue;
      }
      TSNode next = find_property(route, fetch.options, "next");
      if (is(next, "pair") && is(field(next, "value"), "object") &&
          !ts_node_is_null(find_property(route, field(next, "value"), "revalidate"))) {
        finding.offset = ts_node_start_byte(next);
        finding.message = fmt::format(
            "{} backend fetch revalidates ({}) instead of opting out of the cache; per-tenant data can be "
            "served to another user: review it, or use cache: 'no-store'",
            handler.method, text(file, field(next, "value")));
        out.push_back(std::move(finding));
        continue;
      }
      add(finding.fix, append_item(route, fetch.options, [&](const std::string&) { return no_store; }));
      out.push_back(std::move(finding));
    }
  }
}

}  // namespace routeauth::rewriters
