// `routeauth lsp`: a Language Server Protocol (3.17) server over the engine. It keeps the open
// route documents (their unsaved text, changed incrementally), publishes their findings as
// diagnostics after each change, and offers the fix `apply` would write as code actions.
//
// The server reads nothing from disk itself: what a document's settings are (the nearest
// routeauth.json, the inferred backends) and whether it is a route file at all is asked of the
// front end (tool/cli/lsp.cpp), so tests can give their own.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"
#include "engine/pipeline.h"

namespace routeauth::lsp {

// What the front end says about a document's path.
struct Settings {
  bool route = false;  // a route file under the CLI's discovery rules: only those are checked
  std::shared_ptr<const engine::Config> config;  // the same object for every file it applies to
  std::string error;   // the settings could not be made (a bad routeauth.json): shown on the file
};
using SettingsFor = std::function<Settings(const std::string& path)>;

class Server {
 public:
  // `forget_settings`: the config files changed (workspace/didChangeWatchedFiles); what
  // settings_for has cached must be made afresh.
  explicit Server(SettingsFor settings_for, std::function<void()> forget_settings = {});
  ~Server();

  // Handles message bodies that arrived together, in order, and returns the messages to send
  // back: the responses to requests, in order, then the diagnostics of each document the batch
  // changed, checked once at its last version (a newer version supersedes an older one's pending
  // check, so an older version's diagnostics are never sent after a newer one's). A request that
  // a $/cancelRequest in the batch names is answered RequestCancelled without being run. Nothing
  // after `exit` is handled. Never throws: bad input is answered with a JSON-RPC error (requests,
  // or a body that is not JSON) or ignored (notifications).
  [[nodiscard]] std::vector<nlohmann::json> handle_batch(const std::vector<std::string>& bodies);
  // One message: handle_batch({body}).
  [[nodiscard]] std::vector<nlohmann::json> handle(std::string_view body);

  // Set once `exit` arrives: 0 after `shutdown`, 1 without.
  [[nodiscard]] std::optional<int> exit_status() const { return exit_status_; }

  // Reads framed messages from `in` and answers on `out` until `exit` (its status) or the end of
  // the input (1). What cannot be answered (a header block without Content-Length) goes to `log`.
  // A reader thread only reads messages; the calling thread handles, as one batch, everything
  // that arrived while it was busy with the previous one (handle_batch).
  int serve(std::istream& in, std::ostream& out, std::ostream& log);

 private:
  struct Document {
    std::string path;
    std::string text;
    int64_t version = 0;
    Settings settings;
  };

  // The result of a request; nothing for a method routeauth does not implement.
  std::optional<nlohmann::json> dispatch_request(const std::string& method, const nlohmann::json& params);
  void handle_one(nlohmann::json message, const std::set<nlohmann::json>& cancelled, std::vector<nlohmann::json>& out);
  // Notifications change documents and mark them stale; handle_batch publishes the stale ones.
  void dispatch_notification(const std::string& method, const nlohmann::json& params);
  void mark_stale(const std::string& uri);
  void publish_stale(std::vector<nlohmann::json>& out);
  // Asks settings_for again for every open document, after a config file changed.
  void reload_settings();
  nlohmann::json code_actions(const nlohmann::json& params);
  // The quick fix that silences `finding` with a routeauth-ignore comment above its statement,
  // when the engine agrees that the comment silences it (`outcome`: the document's findings).
  std::optional<nlohmann::json> suppress_action(const std::string& uri, const Document& doc,
                                                const engine::Outcome& outcome, const engine::Finding& finding);
  // The engine's outcome for a route document (nothing for other documents, or when a
  // whole-file diagnostic stands instead: `file_problem` then holds it).
  std::optional<engine::Outcome> run(const Document& doc, engine::Mode mode, nlohmann::json* file_problem);
  nlohmann::json publish(const std::string& uri, const Document* doc);
  engine::Worker& worker_for(const std::shared_ptr<const engine::Config>& config);

  SettingsFor settings_for_;
  std::function<void()> forget_settings_;
  bool register_watcher_ = false;  // the client registers file watchers dynamically
  std::map<std::string, Document> documents_;  // by URI
  std::vector<std::string> stale_;  // URIs to publish at the end of the batch, in order
  struct Workers;
  std::unique_ptr<Workers> workers_;
  bool initialized_ = false;
  bool shut_down_ = false;
  std::optional<int> exit_status_;
};

}  // namespace routeauth::lsp
