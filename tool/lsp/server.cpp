#include "lsp/server.h"

#include <fmt/format.h>

#include <algorithm>

#include <condition_variable>
#include <istream>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>
#include <utility>

#include "engine/source.h"
#include "engine/suppressions.h"
#include "engine/syntax.h"
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
constexpr int kRequestCancelled = -32800;

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

Server::Server(SettingsFor settings_for, std::function<void()> forget_settings)
    : settings_for_(std::move(settings_for)),
      forget_settings_(std::move(forget_settings)),
      workers_(std::make_unique<Workers>()) {}
Server::~Server() = default;

engine::Worker& Server::worker_for(const std::shared_ptr<const engine::Config>& config) {
  auto& slot = workers_->by_config[config.get()];
  if (!slot.second) slot = {config, std::make_unique<engine::Worker>(*config)};
  return *slot.second;
}

std::vector<json> Server::handle(std::string_view body) { return handle_batch({std::string(body)}); }

std::vector<json> Server::handle_batch(const std::vector<std::string>& bodies) {
  std::vector<json> messages;
  messages.reserve(bodies.size());
  std::set<json> cancelled;  // ids of requests a $/cancelRequest of this batch names
  for (const std::string& body : bodies) {
    messages.push_back(json::parse(body, nullptr, /*allow_exceptions=*/false));
    const json& m = messages.back();
    if (m.is_object() && m.value("method", json()) == "$/cancelRequest" && m.contains("params") &&
        m["params"].is_object() && m["params"].contains("id")) {
      cancelled.insert(m["params"]["id"]);
    }
  }
  std::vector<json> out;
  for (json& message : messages) {
    handle_one(std::move(message), cancelled, out);
    if (exit_status_) break;  // nothing after exit is read
  }
  // Each document changed in the batch is checked once, at its last version (after exit, none).
  if (exit_status_) stale_.clear();
  publish_stale(out);
  return out;
}

void Server::publish_stale(std::vector<json>& out) {
  for (const std::string& uri : stale_) {
    const auto it = documents_.find(uri);
    out.push_back(publish(uri, it == documents_.end() ? nullptr : &it->second));
  }
  stale_.clear();
}

void Server::mark_stale(const std::string& uri) {
  if (std::find(stale_.begin(), stale_.end(), uri) == stale_.end()) stale_.push_back(uri);
}

void Server::handle_one(json message, const std::set<json>& cancelled, std::vector<json>& out) {
  if (message.is_discarded()) {
    out.push_back(error_response(nullptr, kParseError, "the message is not JSON"));
    return;
  }
  const bool has_id = message.is_object() && message.contains("id") &&
                      (message["id"].is_number_integer() || message["id"].is_string());
  const json id = has_id ? message["id"] : json(nullptr);
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    // A response to a request of ours (we send none) or something that is no message.
    if (message.is_object() && (message.contains("result") || message.contains("error"))) return;
    out.push_back(error_response(id, kInvalidRequest, "not a JSON-RPC request or notification"));
    return;
  }
  const std::string method = message["method"].get<std::string>();
  const json params = message.contains("params") ? message["params"] : json::object();
  if (!has_id) {
    if (method == "exit") {
      exit_status_ = shut_down_ ? 0 : 1;
    } else if (method == "initialized" && initialized_ && register_watcher_) {
      register_watcher_ = false;
      const json watcher = {{"id", "routeauth-config"},
                            {"method", "workspace/didChangeWatchedFiles"},
                            {"registerOptions",
                             {{"watchers", json::array({{{"globPattern", "**/routeauth.json"}}, {{"globPattern", "**/package.json"}}})}}}};
      out.push_back({{"jsonrpc", "2.0"},
                     {"id", "routeauth-register-config-watcher"},
                     {"method", "client/registerCapability"},
                     {"params", {{"registrations", json::array({watcher})}}}});
    } else if (initialized_ && !shut_down_) {
      try {
        dispatch_notification(method, params);
      } catch (const std::exception&) {
        // A notification has no answer: one with bad params changes nothing.
      }
    }
    return;
  }
  if (method == "initialize") {
    initialized_ = true;
    // Settings come from each file's path (the nearest routeauth.json above it), so a workspace
    // folder needs nothing of its own; watching the config files is asked of a client that can
    // register watchers (LSP 3.17 client/registerCapability), after `initialized`.
    try {
      const auto ptr = "/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration"_json_pointer;
      register_watcher_ = params.contains(ptr) && params.at(ptr) == true;
    } catch (const json::exception&) {
      register_watcher_ = false;  // capabilities of another shape: no watcher asked for
    }
    json result = {
        {"capabilities",
         {{"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
          {"codeActionProvider", {{"codeActionKinds", {kQuickFixKind, kFixAllKind}}}},
          {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}}}},
        {"serverInfo", {{"name", "routeauth"}, {"version", ROUTEAUTH_VERSION}}}};
    out.push_back({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
    return;
  }
  if (!initialized_) {
    out.push_back(error_response(id, kServerNotInitialized, "initialize first"));
    return;
  }
  if (shut_down_) {
    out.push_back(error_response(id, kInvalidRequest, "the server is shut down; only exit is accepted"));
    return;
  }
  // The changes before shutdown are checked before it is answered: nothing is published after.
  if (method == "shutdown") publish_stale(out);
  if (cancelled.contains(id)) {
    out.push_back(error_response(id, kRequestCancelled, "cancelled by $/cancelRequest"));
    return;
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
  return;
}

std::optional<json> Server::dispatch_request(const std::string& method, const json& params) {
  if (method == "shutdown") {
    shut_down_ = true;
    return nullptr;
  }
  if (method == "textDocument/codeAction") return code_actions(params);
  return std::nullopt;
}

void Server::dispatch_notification(const std::string& method, const json& params) {
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
    if (route) mark_stale(uri);
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
    if (doc.settings.route) mark_stale(uri);
  } else if (method == "textDocument/didSave") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(uri);
    if (it != documents_.end() && it->second.settings.route) mark_stale(uri);
  } else if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri").get<std::string>();
    const auto it = documents_.find(uri);
    if (it == documents_.end()) return;
    const bool route = it->second.settings.route;
    documents_.erase(it);
    if (route) mark_stale(uri);  // published empty: the document is gone
  } else if (method == "workspace/didChangeWatchedFiles") {
    // Any routeauth.json (or package.json, which may hold a "routeauth" key) created, changed or
    // deleted: every open document's settings are made afresh.
    bool config = false;
    for (const auto& change : params.at("changes")) {
      const std::string path = path_of_uri(change.at("uri").get<std::string>());
      config = config || path.ends_with("/routeauth.json") || path.ends_with("/package.json");
    }
    if (config) reload_settings();
  } else if (method == "workspace/didChangeWorkspaceFolders") {
    reload_settings();  // a folder added may be a project of its own
  }
  // Anything else (initialized, $/cancelRequest, $/setTrace, ...) needs nothing from us.
}

void Server::reload_settings() {
  if (forget_settings_) forget_settings_();
  workers_->by_config.clear();  // their configs may be gone
  for (auto& [uri, doc] : documents_) {
    if (doc.path.empty()) continue;
    const bool was_route = doc.settings.route;
    doc.settings = settings_for_(doc.path);
    if (was_route || doc.settings.route) mark_stale(uri);  // no longer a route: its diagnostics go
  }
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
  if (!outcome || outcome->status == engine::Status::parse_error) return actions;
  const TextIndex index(doc.text);
  std::vector<const engine::Finding*> here;  // the findings the asked range touches
  for (const auto& f : outcome->findings) {
    if (overlaps(finding_range(f, doc.text, index), asked)) here.push_back(&f);
  }
  const bool fixed = outcome->status != engine::Status::internal_error && outcome->changed();
  const json edit = {{"changes", {{uri, json::array({whole_text_edit(doc.text, outcome->result)})}}}};
  // The engine fixes a file as a whole (its passes and verification cover every fix together), so
  // each fixable finding's quick fix is the whole file's fix.
  if (wanted(context, kQuickFixKind)) {
    for (const engine::Finding* f : here) {
      if (!fixed || !f->fixable()) continue;
      actions.push_back({{"title", fmt::format("Fix with routeauth ({}; fixes the whole file, as apply)", f->rule)},
                         {"kind", kQuickFixKind},
                         {"diagnostics", json::array({diagnostic(*f, doc.text, index)})},
                         {"isPreferred", true},
                         {"edit", edit}});
    }
    for (const engine::Finding* f : here) {
      if (auto action = suppress_action(uri, doc, *outcome, *f)) actions.push_back(std::move(*action));
    }
  }
  if (fixed && wanted(context, kFixAllKind)) {
    actions.push_back({{"title", "Fix all routeauth findings in this file (as routeauth apply)"},
                       {"kind", kFixAllKind},
                       {"edit", edit}});
  }
  return actions;
}

std::optional<json> Server::suppress_action(const std::string& uri, const Document& doc, const engine::Outcome& outcome,
                                            const engine::Finding& finding) {
  // Only a rule's findings about a place: the file-wide ones (session-import) need a comment on
  // every handler, and malformed or unused comments are corrected, not silenced.
  if (!engine::find_rule(finding.rule) || engine::about_whole_file(finding.rule)) return std::nullopt;
  engine::Worker& worker = worker_for(doc.settings.config);
  const engine::SourceFile file(doc.path, doc.text);
  const engine::Tree tree = worker.parser().parse(file);
  if (!tree) return std::nullopt;
  const std::optional<uint32_t> line = engine::suppression_line(file, tree.root(), finding.offset);
  if (!line) return std::nullopt;
  const std::string comment =
      engine::suppression_comment(finding.rule, file.indentation_at(*line), file.raw_style().eol);
  // Offered only when the engine agrees: with the comment, the file has one finding of the rule
  // fewer and no new suppression findings.
  std::string text = doc.text;
  text.insert(*line, comment);
  const engine::Outcome after = worker.process(doc.path, text, engine::Mode::check);
  const auto count = [](const std::vector<engine::Finding>& findings, std::string_view rule) {
    return std::count_if(findings.begin(), findings.end(), [&](const engine::Finding& f) { return f.rule == rule; });
  };
  if (after.status == engine::Status::parse_error || count(after.findings, finding.rule) >= count(outcome.findings, finding.rule) ||
      count(after.findings, engine::kSuppressionRule) > count(outcome.findings, engine::kSuppressionRule) ||
      count(after.findings, engine::kUnusedSuppressionRule) > count(outcome.findings, engine::kUnusedSuppressionRule)) {
    return std::nullopt;
  }
  const TextIndex index(doc.text);
  const Position at = index.position(*line);
  return json{{"title", fmt::format("Suppress {} here (a routeauth-ignore comment; write the reason)", finding.rule)},
              {"kind", kQuickFixKind},
              {"diagnostics", json::array({diagnostic(finding, doc.text, index)})},
              {"edit", {{"changes", {{uri, json::array({{{"range", to_json(Range{at, at})}, {"newText", comment}}})}}}}}};
}

namespace {

// What the reader thread hands the worker: message bodies in arrival order, and whether the
// input has ended (or `exit` was read: nothing after it is read).
class Inbox {
 public:
  void push(std::string body) {
    {
      const std::lock_guard lock(mutex_);
      bodies_.push_back(std::move(body));
    }
    ready_.notify_one();
  }
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_one();
  }
  // Everything that arrived since the last call, waiting for something; empty once closed and
  // drained.
  std::vector<std::string> take() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !bodies_.empty() || closed_; });
    return std::exchange(bodies_, {});
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::string> bodies_;
  bool closed_ = false;
};

bool is_exit(const std::string& body) {
  const json m = json::parse(body, nullptr, /*allow_exceptions=*/false);
  return m.is_object() && !m.contains("id") && m.value("method", json()) == "exit";
}

}  // namespace

int Server::serve(std::istream& in, std::ostream& out, std::ostream& log) {
  Inbox inbox;
  // The reader only reads: framing, and whether a message is `exit`. The checks run here, on the
  // calling thread, over everything that arrived while the previous batch was being checked.
  std::thread reader([&] {
    for (;;) {
      std::optional<std::string> body;
      try {
        body = read_message(in);
      } catch (const FramingError& e) {
        log << "routeauth lsp: " << e.what() << "; skipped\n";
        continue;
      }
      if (!body) break;
      const bool exit = is_exit(*body);
      inbox.push(std::move(*body));
      if (exit) break;
    }
    inbox.close();
  });
  for (;;) {
    const std::vector<std::string> batch = inbox.take();
    if (batch.empty()) break;  // the input ended without exit
    for (const json& reply : handle_batch(batch)) {
      write_message(out, reply.dump(-1, ' ', false, json::error_handler_t::replace));
    }
    if (exit_status_) break;
  }
  reader.join();
  return exit_status_.value_or(1);
}

}  // namespace routeauth::lsp
