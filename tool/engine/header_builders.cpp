#include "engine/header_builders.h"

#include <algorithm>

#include "engine/modules.h"
#include "engine/route_model.h"

namespace routeauth::engine {

namespace {

// The import binding `local` as a value of the project's own modules (named or default), or null.
const Import* project_import(const RouteFile& route, std::string_view local, std::string& exported) {
  for (const auto& import : route.imports) {
    if (import.type_only || !package_name(import.source).empty()) continue;
    for (const auto& named : import.named) {
      if (named.local == local) {
        exported = named.name;
        return &import;
      }
    }
    if (import.default_name && *import.default_name == local) {
      exported = std::string(local);
      return &import;
    }
  }
  return nullptr;
}

TSNode unwrap(TSNode n) {
  while (is(n, "await_expression") || is(n, "parenthesized_expression") || is(n, "as_expression") ||
         is(n, "non_null_expression") || is(n, "satisfies_expression")) {
    n = ts_node_named_child(n, 0);
  }
  return n;
}

class Finder {
 public:
  Finder(const RouteFile& route, const Handler& handler) : route_(route), handler_(handler) {}

  void headers_of(const Fetch& fetch) {
    const TSNode options = unwrap(fetch.options);
    if (!is(options, "object")) return;
    for_each_named_child(options, [&](TSNode p) {
      if (is(p, "pair") && key_is_headers(field(p, "key"))) value(field(p, "value"), ts_node_start_byte(fetch.call), 0);
      if (is(p, "shorthand_property_identifier") && text(route_.source(), p) == "headers") {
        local(p, ts_node_start_byte(fetch.call), 0);
      }
    });
  }

  std::vector<HeaderBuilder> found;

 private:
  bool key_is_headers(TSNode key) const {
    if (is(key, "property_identifier")) return text(route_.source(), key) == "headers";
    return is(key, "string") && string_content(route_.source(), key) == "headers";
  }

  // What `v` sends as headers: a builder's call, a Headers made from one, an object spreading one,
  // or a local holding any of these.
  void value(TSNode v, uint32_t before, int depth) {
    v = unwrap(v);
    if (depth > 2 || ts_node_is_null(v)) return;
    if (is(v, "call_expression")) {
      const TSNode callee = field(v, "function");
      if (!is(callee, "identifier")) return;
      std::string exported;
      if (const Import* import = project_import(route_, text(route_.source(), callee), exported)) {
        HeaderBuilder b{exported, import->source};
        const auto same = [&](const HeaderBuilder& o) { return o.name == b.name && o.specifier == b.specifier; };
        if (std::none_of(found.begin(), found.end(), same)) found.push_back(std::move(b));
      }
    } else if (is(v, "new_expression")) {
      const TSNode args = field(v, "arguments");
      if (text(route_.source(), field(v, "constructor")) == "Headers" && is(args, "arguments")) {
        value(ts_node_named_child(args, 0), before, depth + 1);
      }
    } else if (is(v, "object")) {
      for_each_named_child(v, [&](TSNode c) {
        if (is(c, "spread_element")) value(ts_node_named_child(c, 0), before, depth + 1);
      });
    } else if (is(v, "identifier")) {
      local(v, before, depth);
    }
  }

  void local(TSNode name, uint32_t before, int depth) {
    const TSNode d = local_declarator(route_, handler_, text(route_.source(), name), before);
    if (!ts_node_is_null(d)) value(field(d, "value"), ts_node_start_byte(d), depth + 1);
  }

  const RouteFile& route_;
  const Handler& handler_;
};

}  // namespace

std::vector<HeaderBuilder> header_builders(const RouteFile& route, const Handler& handler) {
  Finder finder(route, handler);
  for (const auto& fetch : handler.fetches) {
    if (fetch.backend) finder.headers_of(fetch);
  }
  return std::move(finder.found);
}

}  // namespace routeauth::engine
