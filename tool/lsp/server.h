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
  explicit Server(SettingsFor settings_for);
  ~Server();

  // Handles one message body and returns the messages to send back, in order: a response to a
  // request, diagnostics after a change. Never throws: bad input is answered with a JSON-RPC
  // error (requests, or a body that is not JSON) or ignored (notifications).
  [[nodiscard]] std::vector<nlohmann::json> handle(std::string_view body);

  // Set once `exit` arrives: 0 after `shutdown`, 1 without.
  [[nodiscard]] std::optional<int> exit_status() const { return exit_status_; }

  // Reads framed messages from `in` and answers on `out` until `exit` (its status) or the end of
  // the input (1). What cannot be answered (a header block without Content-Length) goes to `log`.
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
  void dispatch_notification(const std::string& method, const nlohmann::json& params,
                             std::vector<nlohmann::json>& out);
  nlohmann::json code_actions(const nlohmann::json& params);
  // The engine's outcome for a route document (nothing for other documents, or when a
  // whole-file diagnostic stands instead: `file_problem` then holds it).
  std::optional<engine::Outcome> run(const Document& doc, engine::Mode mode, nlohmann::json* file_problem);
  nlohmann::json publish(const std::string& uri, const Document* doc);
  engine::Worker& worker_for(const std::shared_ptr<const engine::Config>& config);

  SettingsFor settings_for_;
  std::map<std::string, Document> documents_;  // by URI
  struct Workers;
  std::unique_ptr<Workers> workers_;
  bool initialized_ = false;
  bool shut_down_ = false;
  std::optional<int> exit_status_;
};

}  // namespace routeauth::lsp
