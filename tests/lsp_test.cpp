// routeauth lsp: the base protocol's framing, UTF-16 positions, file URIs, and the server driven
// message by message (tool/lsp/).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/rule.h"
#include "lsp/diagnostics.h"
#include "lsp/framing.h"
#include "lsp/server.h"
#include "lsp/text.h"
#include "lsp/uri.h"

namespace routeauth::lsp {
namespace {

using nlohmann::json;

// --- framing -------------------------------------------------------------------------------

TEST(LspFraming, ReadsMessagesBackToBackWithAnyHeaderCase) {
  std::istringstream in("Content-Length: 7\r\n\r\n{\"a\":1}"
                        "content-type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-LENGTH:2\r\n\r\n[]");
  EXPECT_EQ(read_message(in), "{\"a\":1}");
  EXPECT_EQ(read_message(in), "[]");
  EXPECT_EQ(read_message(in), std::nullopt);
}

TEST(LspFraming, CountsBytesNotCharacters) {
  const std::string body = "{\"t\":\"\xC3\xA9\xF0\x9F\x98\x80\"}";  // é and an emoji: 6 bytes, 2 characters
  std::ostringstream out;
  write_message(out, body);
  EXPECT_EQ(out.str(), "Content-Length: 14\r\n\r\n" + body);
  std::istringstream in(out.str() + out.str());
  EXPECT_EQ(read_message(in), body);
  EXPECT_EQ(read_message(in), body);
}

TEST(LspFraming, AHeaderBlockWithoutLengthIsAnErrorAndTheNextMessageStillReads) {
  std::istringstream in("Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_THROW((void)read_message(in), FramingError);
  EXPECT_EQ(read_message(in), "{}");
  std::istringstream bad("Content-Length: twelve\r\n\r\n");
  try {
    (void)read_message(bad);
    FAIL() << "no error";
  } catch (const FramingError& e) {
    EXPECT_STREQ(e.what(), "Content-Length 'twelve' is not a number of bytes");
  }
}

TEST(LspFraming, ATruncatedBodyIsTheEndOfTheInput) {
  std::istringstream in("Content-Length: 10\r\n\r\n{}");
  EXPECT_EQ(read_message(in), std::nullopt);
}

// --- UTF-16 positions ------------------------------------------------------------------------

TEST(LspText, PositionsCountUtf16Units) {
  // "é" is 2 bytes and 1 unit; the emoji is 4 bytes and 2 units (a surrogate pair).
  const std::string text = "ab\n\xC3\xA9x\xF0\x9F\x98\x80y\nz";
  const TextIndex index(text);
  EXPECT_EQ(index.position(0), (Position{0, 0}));
  EXPECT_EQ(index.position(3), (Position{1, 0}));
  EXPECT_EQ(index.position(5), (Position{1, 1}));   // after é
  EXPECT_EQ(index.position(6), (Position{1, 2}));   // after x
  EXPECT_EQ(index.position(10), (Position{1, 4}));  // after the emoji
  EXPECT_EQ(index.position(12), (Position{2, 0}));
  EXPECT_EQ(index.end(), (Position{2, 1}));
  EXPECT_EQ(index.position(4), (Position{1, 0}));  // inside é: its start
  for (uint32_t offset : {0u, 3u, 5u, 6u, 10u, 11u, 12u, 13u}) {
    EXPECT_EQ(index.offset(index.position(offset)), offset) << offset;
  }
}

TEST(LspText, OutOfRangePositionsAreClamped) {
  const std::string text = "ab\r\ncd\n\xF0\x9F\x98\x80";
  const TextIndex index(text);
  EXPECT_EQ(index.offset({0, 99}), 2u);  // end of the line, before \r\n
  EXPECT_EQ(index.offset({1, 99}), 6u);
  EXPECT_EQ(index.offset({9, 0}), text.size());
  EXPECT_EQ(index.offset({2, 1}), 7u);  // inside the surrogate pair: the emoji's start
  EXPECT_EQ(index.offset({2, 2}), 11u);
}

TEST(LspText, ReplaceRangeAppliesAnIncrementalChange) {
  std::string text = "const \xC3\xA9 = 1;\nfetch(x)\n";
  replace_range(text, {0, 10}, {0, 11}, "2");  // the 1, after é counted as one unit
  EXPECT_EQ(text, "const \xC3\xA9 = 2;\nfetch(x)\n");
  replace_range(text, {1, 5}, {1, 5}, "Later");
  EXPECT_EQ(text, "const \xC3\xA9 = 2;\nfetchLater(x)\n");
  replace_range(text, {1, 0}, {0, 12}, "");  // reversed: swapped
  EXPECT_EQ(text, "const \xC3\xA9 = 2;fetchLater(x)\n");
}

TEST(LspUri, FileUrisArePercentDecoded) {
  EXPECT_EQ(path_of_uri("file:///repo/app/api/items/%5Bid%5D/route.ts"), "/repo/app/api/items/[id]/route.ts");
  EXPECT_EQ(path_of_uri("file://localhost/a%20b/route.ts"), "/a b/route.ts");
  EXPECT_EQ(path_of_uri("untitled:Untitled-1"), "");
  EXPECT_EQ(path_of_uri("file:///bad%zz"), "");
}

// --- the server, message by message ------------------------------------------------------

constexpr const char* kCompliant = R"(import { NextRequest, NextResponse } from 'next/server';
import { getServerSession } from 'next-auth';
import { authOptions } from '@/app/api/auth/[...nextauth]/route';

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000';

export async function GET(request: NextRequest) {
  const session = await getServerSession(authOptions);
  const params = new URLSearchParams();
  if (session?.user?.tenant_id) {
    params.set('tenant_id', session.user.tenant_id);
  }
  const response = /* é😀 */ await fetch(`${BRAIN_API_URL}/api/brain/x/?${params.toString()}`, {
    headers: {
      Authorization: `Bearer ${session?.access_token ?? ''}`,
    },
    cache: 'no-store',
  });
  return NextResponse.json(await response.json());
}
)";

class LspServer : public ::testing::Test {
 protected:
  LspServer()
      : server_([this](const std::string& path) {
          Settings s;
          s.route = path.ends_with("/app/api/x/route.ts");
          s.config = config_;
          return s;
        }) {}

  std::vector<json> send(const json& message) { return server_.handle(message.dump()); }
  json request(int id, const std::string& method, json params = json::object()) {
    const auto out = send({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? json() : out[0];
  }
  std::vector<json> notify(const std::string& method, json params) {
    return send({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }
  void initialize() {
    (void)request(1, "initialize", {{"capabilities", json::object()}});
    EXPECT_TRUE(notify("initialized", json::object()).empty());
  }
  // The rule ids of a publishDiagnostics message.
  static std::vector<std::string> codes(const std::vector<json>& out) {
    std::vector<std::string> ids;
    EXPECT_EQ(out.size(), 1u);
    if (out.size() != 1) return ids;
    EXPECT_EQ(out[0]["method"], "textDocument/publishDiagnostics");
    for (const auto& d : out[0]["params"]["diagnostics"]) ids.push_back(d["code"]);
    return ids;
  }

  std::shared_ptr<const engine::Config> config_ = std::make_shared<engine::Config>();
  Server server_;
  const std::string uri_ = "file:///p/app/api/x/route.ts";
};

TEST_F(LspServer, AdvertisesOnlyWhatItImplements) {
  const json reply = request(1, "initialize", {{"capabilities", json::object()}});
  const json& caps = reply["result"]["capabilities"];
  EXPECT_EQ(caps["textDocumentSync"]["change"], 2);
  EXPECT_EQ(caps["codeActionProvider"]["codeActionKinds"], json({"quickfix", "source.fixAll.routeauth"}));
  EXPECT_EQ(caps["workspace"], json({{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}));
  EXPECT_EQ(caps.size(), 3u);
  // A client that cannot register watchers is not asked to.
  EXPECT_TRUE(notify("initialized", json::object()).empty());
}

TEST(LspWatch, AChangedConfigFileRechecksTheOpenDocuments) {
  auto config = std::make_shared<engine::Config>();
  int forgotten = 0;
  Server server([&](const std::string&) { return Settings{true, config, ""}; }, [&] { ++forgotten; });
  const auto send = [&](const json& m) { return server.handle(m.dump()); };
  (void)send({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
              {"params", {{"capabilities", {{"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}}}}}});
  // After initialized, the server registers its watcher (LSP 3.17 client/registerCapability).
  auto out = send({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["method"], "client/registerCapability");
  const json& registration = out[0]["params"]["registrations"][0];
  EXPECT_EQ(registration["method"], "workspace/didChangeWatchedFiles");
  EXPECT_EQ(registration["registerOptions"]["watchers"][0]["globPattern"], "**/routeauth.json");
  EXPECT_TRUE(send({{"jsonrpc", "2.0"}, {"id", out[0]["id"]}, {"result", nullptr}}).empty());  // the client's answer

  std::string text = kCompliant;
  text.erase(text.find("    cache: 'no-store',\n"), std::string("    cache: 'no-store',\n").size());
  const std::string uri = "file:///p/app/api/x/route.ts";
  out = send({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
              {"params", {{"textDocument", {{"uri", uri}, {"version", 1}, {"text", text}}}}}});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["params"]["diagnostics"].size(), 1u);
  const auto changed = [&](const std::string& file) {
    return send({{"jsonrpc", "2.0"}, {"method", "workspace/didChangeWatchedFiles"},
                 {"params", {{"changes", json::array({{{"uri", file}, {"type", 2}}})}}}});
  };
  EXPECT_TRUE(changed("file:///p/app/page.tsx").empty());  // not a config file: nothing to do
  EXPECT_EQ(forgotten, 0);
  // The config now turns no-store off: the open document is checked again with it.
  auto quiet = std::make_shared<engine::Config>();
  quiet->disabled_rules.insert("no-store");
  config = quiet;
  out = changed("file:///p/routeauth.json");
  EXPECT_EQ(forgotten, 1);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["params"]["uri"], uri);
  EXPECT_EQ(out[0]["params"]["diagnostics"], json::array());
}

TEST_F(LspServer, ANonAsciiPrefixShiftsTheRangeByUtf16Units) {
  initialize();
  std::string text = kCompliant;
  text.erase(text.find("    cache: 'no-store',\n"), std::string("    cache: 'no-store',\n").size());
  const auto out = notify("textDocument/didOpen",
                          {{"textDocument", {{"uri", uri_}, {"languageId", "typescript"}, {"version", 1}, {"text", text}}}});
  ASSERT_EQ(codes(out), std::vector<std::string>{"no-store"});
  const json& d = out[0]["params"]["diagnostics"][0];
  // The compiler's own UTF-16 encoding of the text before `fetch`: é is one unit, the emoji two.
  const auto before = static_cast<uint32_t>(std::u16string(u"  const response = /* é😀 */ await ").size());
  EXPECT_EQ(d["range"], to_json(Range{{12, before}, {12, before + 5}}));
  EXPECT_EQ(d["source"], "routeauth");
  EXPECT_EQ(d["severity"], 1);
  EXPECT_EQ(out[0]["params"]["version"], 1);
}

TEST_F(LspServer, AnIncrementalEditMakesAFindingAppearAndDisappear) {
  initialize();
  EXPECT_TRUE(codes(notify("textDocument/didOpen", {{"textDocument",
                                                     {{"uri", uri_}, {"languageId", "typescript"}, {"version", 1}, {"text", kCompliant}}}}))
                  .empty());
  // Line 16 is `    cache: 'no-store',`: delete it, then type it back.
  const json removed = {{"range", to_json(Range{{16, 0}, {17, 0}})}, {"text", ""}};
  EXPECT_EQ(codes(notify("textDocument/didChange",
                         {{"textDocument", {{"uri", uri_}, {"version", 2}}}, {"contentChanges", json::array({removed})}})),
            std::vector<std::string>{"no-store"});
  const json typed = {{"range", to_json(Range{{16, 0}, {16, 0}})}, {"text", "    cache: 'no-store',\n"}};
  EXPECT_TRUE(codes(notify("textDocument/didChange",
                           {{"textDocument", {{"uri", uri_}, {"version", 3}}}, {"contentChanges", json::array({typed})}}))
                  .empty());
}

TEST_F(LspServer, FixAllIsTheEngineResultAndQuickFixesPointAtTheirFinding) {
  initialize();
  std::string text = kCompliant;
  text.erase(text.find("    cache: 'no-store',\n"), std::string("    cache: 'no-store',\n").size());
  (void)notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", text}}}});
  const json at_fetch = to_json(Range{{12, 40}, {12, 40}});
  const json all = request(2, "textDocument/codeAction",
                           {{"textDocument", {{"uri", uri_}}}, {"range", at_fetch}, {"context", {{"diagnostics", json::array()}}}});
  ASSERT_EQ(all["result"].size(), 3u);  // the fix, the suppression, the whole file's fix
  EXPECT_EQ(all["result"][0]["kind"], "quickfix");
  EXPECT_EQ(all["result"][0]["diagnostics"][0]["code"], "no-store");
  EXPECT_TRUE(all["result"][1]["title"].get<std::string>().starts_with("Suppress no-store"));
  EXPECT_EQ(all["result"][2]["kind"], "source.fixAll.routeauth");
  const json& edit = all["result"][2]["edit"]["changes"][uri_][0];
  EXPECT_EQ(edit["range"], to_json(Range{{0, 0}, TextIndex(text).end()}));
  EXPECT_EQ(edit["newText"], kCompliant);  // the fix puts back exactly the removed line
  // `only` filters by kind, hierarchically; elsewhere in the file there is no quick fix.
  const json only = request(3, "textDocument/codeAction",
                            {{"textDocument", {{"uri", uri_}}}, {"range", to_json(Range{{0, 0}, {0, 0}})},
                             {"context", {{"diagnostics", json::array()}, {"only", {"source.fixAll"}}}}});
  ASSERT_EQ(only["result"].size(), 1u);
  EXPECT_EQ(only["result"][0]["kind"], "source.fixAll.routeauth");
}

TEST_F(LspServer, EachDiagnosticLinksToItsRuleInTheReadme) {
  initialize();
  std::string text = kCompliant;
  text.erase(text.find("    cache: 'no-store',\n"), std::string("    cache: 'no-store',\n").size());
  const auto out = notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", text}}}});
  ASSERT_EQ(codes(out), std::vector<std::string>{"no-store"});
  EXPECT_EQ(out[0]["params"]["diagnostics"][0]["codeDescription"]["href"],
            std::string(ROUTEAUTH_HOMEPAGE) + "#rule-no-store");
}

TEST(LspRuleDocs, EveryFindingIdHasItsAnchorInTheReadme) {
  std::ifstream in(std::string(ROUTEAUTH_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in);
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> ids = {"manual-review", "parse-error", "suppression", "unused-suppression"};
  for (const auto& rule : engine::rules()) ids.emplace_back(rule->id());
  for (const std::string& id : ids) {
    const std::string url = rule_doc_url(id);
    ASSERT_TRUE(url.ends_with("#rule-" + id)) << id << ": " << url;
    EXPECT_TRUE(url.starts_with("https://")) << url;
    EXPECT_NE(readme.find("<a id=\"rule-" + id + "\"></a>`" + id + "`"), std::string::npos) << id;
  }
  EXPECT_EQ(rule_doc_url("config"), "");  // a whole-file diagnostic, no finding id
  EXPECT_EQ(rule_doc_url("no-such-rule"), "");
}

TEST_F(LspServer, SuppressingAFindingInsertsACommentTheEngineHonours) {
  initialize();
  std::string text = kCompliant;
  text.erase(text.find("    cache: 'no-store',\n"), std::string("    cache: 'no-store',\n").size());
  (void)notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", text}}}});
  const json reply = request(2, "textDocument/codeAction",
                             {{"textDocument", {{"uri", uri_}}}, {"range", to_json(Range{{12, 40}, {12, 40}})},
                              {"context", {{"diagnostics", json::array()}, {"only", {"quickfix"}}}}});
  json suppress;
  for (const auto& action : reply["result"]) {
    if (action["title"].get<std::string>().starts_with("Suppress no-store")) suppress = action;
  }
  ASSERT_FALSE(suppress.is_null()) << reply.dump(2);
  EXPECT_EQ(suppress["kind"], "quickfix");
  EXPECT_EQ(suppress["diagnostics"][0]["code"], "no-store");
  const json& edit = suppress["edit"]["changes"][uri_][0];
  // Above the statement that holds the fetch, at its indentation, in the syntax suppressions.h reads.
  EXPECT_EQ(edit["range"], to_json(Range{{12, 0}, {12, 0}}));
  EXPECT_EQ(edit["newText"], std::string("  // routeauth-ignore: no-store ") + std::string(engine::kPlaceholderReason) + "\n");
  replace_range(text, {12, 0}, {12, 0}, edit["newText"].get<std::string>());
  // With the comment, no finding is left: not no-store, and no suppression finding about the comment.
  EXPECT_TRUE(codes(notify("textDocument/didChange", {{"textDocument", {{"uri", uri_}, {"version", 2}}},
                                                      {"contentChanges", json::array({{{"text", text}}})}}))
                  .empty());
}

TEST_F(LspServer, AFileWideFindingGetsNoSuppressAction) {
  initialize();
  std::string text = kCompliant;
  text.erase(text.find("import { getServerSession }"), text.find("const BRAIN") - text.find("import { getServerSession }"));
  const auto out = notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", text}}}});
  ASSERT_FALSE(codes(out).empty());
  const json reply = request(2, "textDocument/codeAction",
                             {{"textDocument", {{"uri", uri_}}}, {"range", to_json(Range{{0, 0}, {99, 0}})},
                              {"context", {{"diagnostics", json::array()}}}});
  bool import_fix = false;
  for (const auto& action : reply["result"]) {
    EXPECT_FALSE(action["title"].get<std::string>().starts_with("Suppress session-import")) << action.dump();
    import_fix = import_fix || action["diagnostics"][0]["code"] == "session-import";
  }
  EXPECT_TRUE(import_fix) << reply.dump(2);
}

TEST_F(LspServer, ADocumentThatDoesNotParseGetsOneParseErrorAndNoFix) {
  initialize();
  const auto out = notify("textDocument/didOpen",
                          {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", "export async function GET( {\n"}}}});
  EXPECT_EQ(codes(out), std::vector<std::string>{"parse-error"});
  EXPECT_EQ(request(2, "textDocument/codeAction", {{"textDocument", {{"uri", uri_}}}, {"range", to_json(Range{})}})["result"],
            json::array());
}

TEST_F(LspServer, OtherFilesGetNoDiagnostics) {
  initialize();
  EXPECT_TRUE(notify("textDocument/didOpen",
                     {{"textDocument", {{"uri", "file:///p/lib/x.ts"}, {"version", 1}, {"text", "fetch(x)"}}}})
                  .empty());
  EXPECT_TRUE(notify("textDocument/didOpen", {{"textDocument", {{"uri", "untitled:1"}, {"version", 1}, {"text", "x"}}}}).empty());
}

TEST_F(LspServer, ClosingADocumentClearsItsDiagnostics) {
  initialize();
  (void)notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", "fetch("}}}});
  EXPECT_TRUE(codes(notify("textDocument/didClose", {{"textDocument", {{"uri", uri_}}}})).empty());
}

TEST_F(LspServer, BadInputIsAnsweredAndNeverKillsTheServer) {
  EXPECT_EQ(request(7, "textDocument/codeAction")["error"]["code"], -32002);  // before initialize
  initialize();
  auto out = server_.handle("{not json");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["error"]["code"], -32700);
  EXPECT_TRUE(out[0]["id"].is_null());
  EXPECT_EQ(request(8, "workspace/symbol")["error"]["code"], -32601);
  EXPECT_TRUE(notify("workspace/didChangeConfiguration", json::object()).empty());
  EXPECT_TRUE(notify("textDocument/didOpen", {{"textDocument", 3}}).empty());  // bad params: ignored
  EXPECT_EQ(request(9, "textDocument/codeAction", {{"range", 1}})["error"]["code"], -32602);
  out = server_.handle("[1,2]");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["error"]["code"], -32600);
  // A change far out of range lands at the end of the text; the server still answers.
  (void)notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", kCompliant}}}});
  const json far = {{"range", to_json(Range{{999, 5}, {1000, 0}})}, {"text", "\n"}};
  EXPECT_TRUE(codes(notify("textDocument/didChange", {{"textDocument", {{"uri", uri_}, {"version", 2}}},
                                                      {"contentChanges", json::array({far})}}))
                  .empty());
  EXPECT_EQ(request(10, "shutdown")["result"], nullptr);
  EXPECT_FALSE(server_.exit_status());
}

// kCompliant at `version`: the odd versions lose `cache: 'no-store'` (one no-store finding).
json full_change(const std::string& uri, int version) {
  std::string text = kCompliant;
  if (version % 2 == 1) text.erase(text.find("    cache: 'no-store',\n"), std::string("    cache: 'no-store',\n").size());
  return {{"jsonrpc", "2.0"},
          {"method", "textDocument/didChange"},
          {"params", {{"textDocument", {{"uri", uri}, {"version", version}}}, {"contentChanges", json::array({{{"text", text}}})}}}};
}

TEST_F(LspServer, ANewerVersionSupersedesTheOlderOnesPendingCheck) {
  initialize();
  std::vector<std::string> batch = {
      json({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
            {"params", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", kCompliant}}}}}})
          .dump()};
  for (int version = 2; version <= 41; ++version) batch.push_back(full_change(uri_, version).dump());
  const auto out = server_.handle_batch(batch);
  // One check, of version 41 (which lacks no-store), none of the 40 before it.
  ASSERT_EQ(codes(out), std::vector<std::string>{"no-store"});
  EXPECT_EQ(out[0]["params"]["version"], 41);
}

TEST_F(LspServer, ARequestCancelledInTheSameBatchIsNotRun) {
  initialize();
  (void)notify("textDocument/didOpen", {{"textDocument", {{"uri", uri_}, {"version", 1}, {"text", kCompliant}}}});
  const json ask = {{"textDocument", {{"uri", uri_}}}, {"range", to_json(Range{})}};
  const auto out = server_.handle_batch({
      json({{"jsonrpc", "2.0"}, {"id", 5}, {"method", "textDocument/codeAction"}, {"params", ask}}).dump(),
      json({{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", 5}}}}).dump(),
      json({{"jsonrpc", "2.0"}, {"id", 6}, {"method", "textDocument/codeAction"}, {"params", ask}}).dump(),
  });
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0]["id"], 5);
  EXPECT_EQ(out[0]["error"]["code"], -32800);
  EXPECT_EQ(out[1]["id"], 6);
  EXPECT_TRUE(out[1]["result"].is_array());
}

TEST(LspServe, DiagnosticsFollowTheVersionsInOrderAndEndAtTheLast) {
  // Many changes in one write: however the reader and the checks interleave, the versions
  // published only go up, and the last one published is the last version, checked.
  const auto config = std::make_shared<engine::Config>();
  const std::string uri = "file:///p/app/api/x/route.ts";
  std::ostringstream input;
  write_message(input, json({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", json::object()}}).dump());
  write_message(input, json({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}}).dump());
  write_message(input, json({{"jsonrpc", "2.0"}, {"method", "textDocument/didOpen"},
                             {"params", {{"textDocument", {{"uri", uri}, {"version", 1}, {"text", kCompliant}}}}}})
                           .dump());
  for (int version = 2; version <= 61; ++version) write_message(input, full_change(uri, version).dump());
  write_message(input, json({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}}).dump());
  write_message(input, json({{"jsonrpc", "2.0"}, {"method", "exit"}}).dump());
  std::istringstream in(input.str());
  std::ostringstream out, log;
  Server server([&](const std::string&) { return Settings{true, config, ""}; });
  EXPECT_EQ(server.serve(in, out, log), 0);
  std::istringstream replies(out.str());
  std::vector<json> published;
  while (auto body = read_message(replies)) {
    const json m = json::parse(*body);
    if (m.value("method", "") == "textDocument/publishDiagnostics") published.push_back(m["params"]);
  }
  ASSERT_FALSE(published.empty());
  for (size_t i = 1; i < published.size(); ++i) EXPECT_LT(published[i - 1]["version"], published[i]["version"]);
  EXPECT_EQ(published.back()["version"], 61);
  ASSERT_EQ(published.back()["diagnostics"].size(), 1u);
  EXPECT_EQ(published.back()["diagnostics"][0]["code"], "no-store");
}

TEST(LspServe, ExitIsZeroAfterShutdownAndOneWithout) {
  const auto framed = [](const std::vector<json>& messages) {
    std::ostringstream s;
    for (const auto& m : messages) write_message(s, m.dump());
    return s.str();
  };
  const json init = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", json::object()}};
  const json shutdown = {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "shutdown"}};
  const json exit = {{"jsonrpc", "2.0"}, {"method", "exit"}};
  const SettingsFor none = [](const std::string&) { return Settings{}; };
  {
    std::istringstream in(framed({init, shutdown, exit}));
    std::ostringstream out, log;
    EXPECT_EQ(Server(none).serve(in, out, log), 0);
    std::istringstream replies(out.str());
    EXPECT_EQ(json::parse(*read_message(replies))["id"], 1);
    EXPECT_EQ(json::parse(*read_message(replies))["id"], 2);
  }
  {
    std::istringstream in("Content-Type: x\r\n\r\n" + framed({init, exit}));
    std::ostringstream out, log;
    EXPECT_EQ(Server(none).serve(in, out, log), 1);
    EXPECT_EQ(log.str(), "routeauth lsp: a message without a Content-Length header; skipped\n");
  }
  {
    std::istringstream in(framed({init}));  // the client went away
    std::ostringstream out, log;
    EXPECT_EQ(Server(none).serve(in, out, log), 1);
  }
}

}  // namespace
}  // namespace routeauth::lsp
