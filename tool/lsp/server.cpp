#include "lsp/server.h"

#include <fmt/format.h>

#include <istream>
#include <ostream>

#include "engine/source.h"
#include "lsp/diagnostics.h"
#include "lsp/framing.h"
#include "lsp/text.h"
#include "lsp/uri.h"
#include "output/write.h"

namespace routeauth::lsp {

using nlohmann::json;

namespace {

// JSON-RPC and LSP error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kServerNotInitialized = -32002;

constexpr std::string_view kFixAllKind = "source.fixAll.routeauth";
constexpr std::string_view kQuickFixKind = "quickfix";

json error_response(const json& id, int code, std::string_view message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json notification(std::string_view method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

// Whether a client asking for `only` kinds wants actions of `kind` (kinds are hierarchical:
// asking for `source.fixAll` includes `source.fixAll.routeauth`).
bool wanted(const json& context, std::string_view kind) {
  if (!context.is_object() || !context.contains("only") || !context["only"].is_array()) return true;
  for (const auto& k : context["only"]) {
    if (!k.is_string()) continue;
    const std::string asked = k.get<std::string>();
    if (kind == asked || (kind.starts_with(asked) && kind.size() > asked.size() && kind[asked.size()] == '.')) {
      return true;
    }
  }
  return false;
}

bool overlaps(const Range& a, const Range& b) { return a.start <= b.end && b.start <= a.end; }

}  // namespace

// One Worker (and its parsers) per Config object the front end hands out.
struct Server::Workers {
  std::map<const engine::Config*, std::pair<std::shared_ptr<const engine::Config>, std::unique_ptr<engine::Worker>>> by_config;
};

Server::Server(SettingsFor settings_for) : settings_for_(std::move(settings_for)), workers_(std::make_unique<Workers>()) {}
Server::~Server() = default;

engine::Worker& Server::worker_for(const std::shared_ptr<const engine::Config>& config) {
  auto& slot = workers_->by_config[config.get()];
  if (!slot.second) slot = {config, std::make_unique<engine::Worker>(*config)};
  return *slot.second;
}

std::vector<json> Server::handle(std::string_view body) {
  std::vector<json> out;
  json message = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    out.push_back(error_response(nullptr, kParseError, "the message is not JSON"));
    return out;
  }
  const bool has_id = message.is_object() && message.contains("id") &&
                      (message["id"].is_number_integer() || message["id"].is_string());
  const json id = has_id ? message["id"] : json(nullptr);
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    // A response to a request of ours (we send none) or something that is no message.
    if (message.is_object() && (message.contains("result") || message.contains("error"))) return out;
    out.push_back(error_response(id, kInvalidRequest, "not a JSON-RPC request or notification"));
    return out;
  }
  const std::string method = message["method"].get<std::string>();
  const json params = message.contains("params") ? message["params"] : json::object();
  if (!has_id) {
    if (method == "exit") {
      exit_status_ = shut_down_ ? 0 : 1;
    } else if (initialized_ && !shut_down_) {
      try {
        dispatch_notification(method, params, out);
      } catch (const std::exception&) {
        // A notification has no answer: one with bad params changes nothing.
      }
    }
    return out;
  }
  if (method == "initialize") {
    initialized_ = true;
    json result = {
        {"capabilities",
         {{"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
          {"codeActionProvider", {{"codeActionKinds", {kQuickFixKind, kFixAllKind}}}}}},
        {"serverInfo", {{"name", "routeauth"}, {"version", ROUTEAUTH_VERSION}}}};
    out.push_back({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
    return out;
  }
  if (!initialized_) {
    out.push_back(error_response(id, kServerNotInitialized, "initialize first"));
    return out;
  }
  if (shut_down_) {
    out.push_back(error_response(id, kInvalidRequest, "the server is shut down; only exit is accepted"));
    return out;
  }
  try {
    if (std::optional<json> result = dispatch_request(method, params)) {
      out.push_back({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(*result)}});
    } else {
      out.push_back(error_response(id, kMethodNotFound, fmt::format("routeauth does not implement {}", method)));
    }
  } catch (const json::exception& e) {
    out.push_back(error_response(id, kInvalidParams, e.what()));
  } catch (const std::exception& e) {
    out.push_back(error_response(id, kInvalidParams, e.what()));
  }
  return out;
}

std::optional<json> Server::dispatch_request(const std::string& method, const json& params) {
  if (method == "shutdown") {
    shut_down_ = true;
    return nullptr;
  }
  if (method == "textDocument/codeAction") return code_actions(params);
  return std::nullopt;
}

void Server::dispatch_notification(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "textDocument/didOpen") {
    const json& item = params.at("textDocument");
    const std::string uri = item.at("uri").get<std::string>();
    Document doc;
    doc.path = path_of_uri(uri);
    doc.text = item.at("text").get<std::string>();
    doc.version = item.value("version", int64_t{0});
    if (!doc.path.empty()) doc.settings = settings_for_(doc.path);
    const bool route = doc.settings.route;
    documents_[uri] = std::move(doc);
    if (route) out.push_back(publish(uri, &documents_[uri]));
  } else if (method == "textDocument/didChange") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(uri);
    if (it == documents_.end()) return;
    Document& doc = it->second;
    // Every change is applied to a copy first: a bad change leaves the document as it was.
    std::string text = doc.text;
    for (const auto& change : params.at("contentChanges")) {
      if (change.contains("range")) {
        const Range r = range_of(change["range"]);
        replace_range(text, r.start, r.end, change.at("text").get<std::string>());
      } else {
        text = change.at("text").get<std::string>();
      }
    }
    doc.text = std::move(text);
    doc.version = params["textDocument"].value("version", doc.version);
    if (doc.settings.route) out.push_back(publish(uri, &doc));
  } else if (method == "textDocument/didSave") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(uri);
    if (it != documents_.end() && it->second.settings.route) out.push_back(publish(uri, &it->second));
  } else if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(uri);
    if (it == documents_.end()) return;
    const bool route = it->second.settings.route;
    documents_.erase(it);
    if (route) out.push_back(publish(uri, nullptr));
  }
  // Anything else (initialized, $/cancelRequest, $/setTrace, ...) needs nothing from us.
}

std::optional<engine::Outcome> Server::run(const Document& doc, engine::Mode mode, json* file_problem) {
  if (!doc.settings.route) return std::nullopt;
  if (!doc.settings.error.empty()) {
    if (file_problem) *file_problem = file_diagnostic("config", doc.settings.error);
    return std::nullopt;
  }
  const engine::Config& config = *doc.settings.config;
  if (doc.text.size() > config.max_file_bytes) {
    if (file_problem) {
      *file_problem = file_diagnostic("file-too-large", fmt::format("{}; routeauth does not check this file",
                                                                    output::over_limit(doc.text.size(), config.max_file_bytes)));
    }
    return std::nullopt;
  }
  if (const auto problem = engine::unusable_text(doc.text); problem && !doc.text.empty()) {
    if (file_problem) *file_problem = file_diagnostic("unusable-text", problem->what);
    return std::nullopt;
  }
  return worker_for(doc.settings.config).process(doc.path, doc.text, mode);
}

json Server::publish(const std::string& uri, const Document* doc) {
  json diagnostics = json::array();
  json params = {{"uri", uri}};
  if (doc) {
    params["version"] = doc->version;
    json problem;
    if (const auto outcome = run(*doc, engine::Mode::check, &problem)) {
      const TextIndex index(doc->text);
      for (const auto& f : outcome->findings) diagnostics.push_back(diagnostic(f, doc->text, index));
    } else if (!problem.is_null()) {
      diagnostics.push_back(std::move(problem));
    }
  }
  params["diagnostics"] = std::move(diagnostics);
  return notification("textDocument/publishDiagnostics", std::move(params));
}

json Server::code_actions(const json& params) {
  json actions = json::array();
  const std::string uri = params.at("textDocument").at("uri").get<std::string>();
  const auto it = documents_.find(uri);
  if (it == documents_.end()) return actions;
  const Document& doc = it->second;
  const Range asked = range_of(params.at("range"));
  const json context = params.value("context", json::object());
  const auto outcome = run(doc, engine::Mode::fix, nullptr);
  if (!outcome || outcome->status == engine::Status::parse_error ||
      outcome->status == engine::Status::internal_error || !outcome->changed()) {
    return actions;
  }
  const json edit = {{"changes", {{uri, json::array({whole_text_edit(doc.text, outcome->result)})}}}};
  // The engine fixes a file as a whole (its passes and verification cover every fix together), so
  // each fixable finding's quick fix is the whole file's fix.
  if (wanted(context, kQuickFixKind)) {
    const TextIndex index(doc.text);
    for (const auto& f : outcome->findings) {
      if (!f.fixable()) continue;
      if (!overlaps(finding_range(f, doc.text, index), asked)) continue;
      actions.push_back({{"title", fmt::format("Fix with routeauth ({}; fixes the whole file, as apply)", f.rule)},
                         {"kind", kQuickFixKind},
                         {"diagnostics", json::array({diagnostic(f, doc.text, index)})},
                         {"isPreferred", true},
                         {"edit", edit}});
    }
  }
  if (wanted(context, kFixAllKind)) {
    actions.push_back({{"title", "Fix all routeauth findings in this file (as routeauth apply)"},
                       {"kind", kFixAllKind},
                       {"edit", edit}});
  }
  return actions;
}

int Server::serve(std::istream& in, std::ostream& out, std::ostream& log) {
  for (;;) {
    std::optional<std::string> body;
    try {
      body = read_message(in);
    } catch (const FramingError& e) {
      log << "routeauth lsp: " << e.what() << "; skipped\n";
      continue;
    }
    if (!body) return exit_status_.value_or(1);
    for (const json& reply : handle(*body)) write_message(out, reply.dump(-1, ' ', false, json::error_handler_t::replace));
    if (exit_status_) return *exit_status_;
  }
}

}  // namespace routeauth::lsp
