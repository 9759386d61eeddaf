// `check --format json` and `check --format sarif`: the same findings as the text lines, as data.
// Positions (bytes for JSON as for text, UTF-16 code units for SARIF), order, summary, exit
// statuses, and the structure GitHub code scanning reads. The schema validation of the SARIF is
// tests/sarif (a real JSON Schema validator from npm).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rule.h"
#include "output/json_output.h"
#include "output/sarif.h"
#include "cli_support.h"
#include "test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kPending = R"ts(import { NextRequest, NextResponse } from 'next/server'

const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000'

export async function GET(request: NextRequest, { params }: { params: { id: string } }) {
  const response = await fetch(`${BRAIN_API_URL}/api/crm/deals/${params.id}/`, {
    headers: { 'Content-Type': 'application/json' },
  })
  return NextResponse.json(await response.json())
}

export async function DELETE(request: NextRequest, { params }: { params: { id: string } }) {
  const response = await fetch(`${BRAIN_API_URL}/api/crm/deals/${params.id}/`, { method: 'DELETE' })
  return NextResponse.json({ ok: response.ok })
}
)ts";

// A finding after non-ASCII text on its line: `é` is 2 bytes and 1 UTF-16 unit, `😀` 4 bytes
// and 2 units.
const std::string kUnicode =
    "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
    "\n"
    "export async function POST(request: Request) {\n"
    "  const r = /* é😀 */ await fetch(`${BRAIN_API_URL}/x`, { method: 'POST' })\n"
    "  return r\n"
    "}\n";

const std::string kBroken = "export async function GET() {\n  const x = ;\n  return x\n}\n";

// ---- in-process ------------------------------------------------------------------------------

std::vector<routeauth::output::Diagnostic> diagnose(const std::string& display, const std::string& text) {
  return routeauth::output::diagnostics_of(routeauth::testing::check("route.ts", text), display);
}

TEST(JsonOutput, PositionsAreOneBasedBytesAndUtf16) {
  const auto found = diagnose("app/api/u/route.ts", kUnicode);
  ASSERT_FALSE(found.empty());
  bool at_fetch = false;
  for (const auto& d : found) {
    if (d.line != 4) continue;
    at_fetch = true;
    // `  const r = /* é😀 */ await ` is 31 bytes, 28 UTF-16 units.
    EXPECT_EQ(d.column, 32u) << d.rule;
    EXPECT_EQ(d.utf16_column, 29u) << d.rule;
  }
  EXPECT_TRUE(at_fetch);
}

TEST(JsonOutput, ByteOrderMarkIsNotAColumn) {
  const std::string text = "\xEF\xBB\xBF" "export async function GET() { return fetch(`${BRAIN_API_URL}/x`) }\n";
  const auto found = diagnose("app/api/b/route.ts", text);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().line, 1u);
  EXPECT_EQ(found.front().column, 23u);  // GET, after `export async function `
  EXPECT_EQ(found.front().utf16_column, 23u);
}

TEST(JsonOutput, SameLinesAsText) {
  const auto outcome = routeauth::testing::check("route.ts", kPending);
  const auto found = routeauth::output::diagnostics_of(outcome, "route.ts");
  std::string lines;
  for (const auto& d : found) {
    lines += std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
             std::string(routeauth::output::severity_name(d.severity)) + ": " + d.message + " [" + d.rule + "]\n";
  }
  EXPECT_EQ(lines, routeauth::testing::findings_text(outcome));
}

TEST(JsonOutput, SortedByPathThenPosition) {
  auto all = diagnose("b/route.ts", kPending);
  auto more = diagnose("a/route.ts", kPending);
  all.insert(all.end(), more.begin(), more.end());
  routeauth::output::sort_diagnostics(all);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LE(std::tie(all[i - 1].path, all[i - 1].line, all[i - 1].column),
              std::tie(all[i].path, all[i].line, all[i].column));
  }
  EXPECT_EQ(all.front().path, "a/route.ts");
}

TEST(Sarif, UriReferenceEncodesWhatAPathSegmentCannotHold) {
  using routeauth::output::uri_reference;
  EXPECT_EQ(uri_reference("app/api/brain/deals/[id]/route.ts"), "app/api/brain/deals/%5Bid%5D/route.ts");
  EXPECT_EQ(uri_reference("app/api/auth/[...nextauth]/route.ts"), "app/api/auth/%5B...nextauth%5D/route.ts");
  EXPECT_EQ(uri_reference("app/api/my folder/route.ts"), "app/api/my%20folder/route.ts");
  EXPECT_EQ(uri_reference("app/(group)/api/x:y/caf\xC3\xA9/route.ts"), "app/(group)/api/x%3Ay/caf%C3%A9/route.ts");
}

TEST(Sarif, StableHashIsFnv1a64) {
  EXPECT_EQ(routeauth::output::stable_hash(""), "cbf29ce484222325");
  EXPECT_EQ(routeauth::output::stable_hash("a"), "af63dc4c8601ec8c");
}

TEST(Sarif, LogStructure) {
  auto found = diagnose("app/api/deals/[id]/route.ts", kPending);
  auto broken = routeauth::output::diagnostics_of(routeauth::testing::check("route.ts", kBroken), "app/api/z/route.ts");
  found.insert(found.end(), broken.begin(), broken.end());
  const json log = json::parse(routeauth::output::sarif_log(found).dump());

  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& run = log["runs"][0];
  const json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "routeauth");
  EXPECT_EQ(driver["version"], ROUTEAUTH_VERSION);
  EXPECT_TRUE(driver["informationUri"].get<std::string>().starts_with("https://"));

  // One descriptor per rule, in registry order, then parse-error.
  const auto rules = routeauth::engine::rules();
  ASSERT_EQ(driver["rules"].size(), rules.size() + 1);
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_EQ(driver["rules"][i]["id"], std::string(rules[i]->id()));
    EXPECT_EQ(driver["rules"][i]["shortDescription"]["text"], std::string(rules[i]->summary()));
    EXPECT_EQ(driver["rules"][i]["defaultConfiguration"]["level"], "error");
  }
  EXPECT_EQ(driver["rules"][rules.size()]["id"], "parse-error");

  ASSERT_EQ(run["results"].size(), found.size());
  std::set<std::string> fingerprints;
  for (size_t i = 0; i < found.size(); ++i) {
    const json& result = run["results"][i];
    EXPECT_EQ(result["ruleId"], found[i].rule);
    const size_t index = result["ruleIndex"];
    EXPECT_EQ(driver["rules"][index]["id"], result["ruleId"]);
    EXPECT_EQ(result["level"], "error");
    EXPECT_EQ(result["message"]["text"], found[i].message);
    const json& location = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    EXPECT_EQ(location["region"]["startLine"], found[i].line);
    EXPECT_EQ(location["region"]["startColumn"], found[i].utf16_column);
    const json& fingerprint = result["partialFingerprints"];
    ASSERT_EQ(fingerprint.size(), 1u);
    EXPECT_TRUE(fingerprints.insert(fingerprint.begin().value().get<std::string>()).second)
        << "two results share a fingerprint";
  }
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "app/api/deals/%5Bid%5D/route.ts");
  EXPECT_EQ(run["results"].back()["ruleId"], "parse-error");
  EXPECT_EQ(run["results"].back()["ruleIndex"], rules.size());
}

// Lines inserted above a finding move it, not its fingerprint (GitHub then keeps the alert).
TEST(Sarif, FingerprintSurvivesLinesMovingAbove) {
  auto fingerprints = [](const std::string& text) {
    const json log = json::parse(routeauth::output::sarif_log(diagnose("app/api/x/route.ts", text)).dump());
    std::vector<std::string> out;
    for (const auto& r : log["runs"][0]["results"]) out.push_back(r["partialFingerprints"].begin().value());
    return out;
  };
  EXPECT_EQ(fingerprints(kPending), fingerprints("// a comment\n// another\n" + kPending));
}

// ---- the real binary ---------------------------------------------------------------------------

// The file and quoting helpers every end-to-end test uses (tests/cli_support.h).
using routeauth::testing::cli::quote;
using routeauth::testing::cli::slurp;
using routeauth::testing::cli::spit;

struct CliRun {
  int status = -1;
  std::string out, err;
};

class Repo {
 public:
  Repo() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-output-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    if (std::system(("git -C " + quote(root_.string()) + " init -q").c_str()) != 0) {
      throw std::runtime_error("git init failed");
    }
    spit(root_ / "app/api/crm/deals/[id]/route.ts", kPending);
    spit(root_ / "app/api/crm/unicode/route.ts", kUnicode);
    spit(root_ / "app/api/cms/broken/route.ts", kBroken);
  }
  ~Repo() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  Repo(const Repo&) = delete;
  Repo& operator=(const Repo&) = delete;

  [[nodiscard]] const fs::path& root() const { return root_; }

  [[nodiscard]] CliRun run(const std::vector<std::string>& args) const {
    std::string cmd = "cd " + quote(root_.string()) + " && " + quote(ROUTEAUTH_BINARY);
    for (const auto& a : args) cmd += " " + quote(a);
    const fs::path out = root_ / ".git" / "output-test.out";
    const fs::path err = root_ / ".git" / "output-test.err";
    cmd += " >" + quote(out.string()) + " 2>" + quote(err.string());
    const int raw = std::system(cmd.c_str());
    CliRun r;
    r.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

 private:
  fs::path root_;
};

std::vector<std::string> finding_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  static const std::regex note(R"(^[^:]+:\d+:\d+: note: )");
  for (std::string line; std::getline(in, line);) {
    if (!std::regex_search(line, note)) out.push_back(line);
  }
  return out;
}

TEST(CheckJson, SameFindingsAsTheTextLines) {
  Repo repo;
  const CliRun text = repo.run({"check", "."});
  const CliRun as_json = repo.run({"check", "--format", "json", "."});
  EXPECT_EQ(text.status, 3);  // a parse error
  EXPECT_EQ(as_json.status, text.status);
  EXPECT_EQ(as_json.err, text.err);  // the summary line, on stderr as always

  const json doc = json::parse(as_json.out);
  EXPECT_EQ(doc["version"], ROUTEAUTH_VERSION);
  std::vector<std::string> rebuilt;
  for (const auto& f : doc["findings"]) {
    rebuilt.push_back(f["path"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + ":" +
                      std::to_string(f["column"].get<int>()) + ": " + f["severity"].get<std::string>() + ": " +
                      f["message"].get<std::string>() + " [" + f["rule"].get<std::string>() + "]");
    EXPECT_TRUE(f["fixable"].is_boolean());
    EXPECT_TRUE(f["notes"].is_array());
    EXPECT_EQ(f["fixable"], f["rule"] != "parse-error");
  }
  EXPECT_EQ(rebuilt, finding_lines(text.out));

  EXPECT_EQ(doc["summary"], json::parse(R"({"files_seen": 3, "with_findings": 3, "to_fix": 2, "compliant": 0, "no_backend_calls": 0,
      "manual_review": 0, "failed": 1})"));
  EXPECT_EQ(repo.run({"check", "--format", "json", "."}).out, as_json.out);  // same bytes every run
}

TEST(CheckJson, CleanTreeIsAnEmptyListAndExitZero) {
  Repo repo;
  fs::remove_all(repo.root() / "app/api/cms");
  ASSERT_EQ(repo.run({"apply", "-q", "."}).status, 0);
  const CliRun r = repo.run({"check", "-q", "--format", "json", "."});
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.err, "");
  const json doc = json::parse(r.out);
  EXPECT_TRUE(doc["findings"].empty());
  EXPECT_EQ(doc["summary"]["compliant"], 2);
}

TEST(CheckSarif, WhatGithubReads) {
  Repo repo;
  const CliRun r = repo.run({"check", "-q", "--format", "sarif", "."});
  EXPECT_EQ(r.status, 3);
  const json log = json::parse(r.out);
  const CliRun as_json = repo.run({"check", "-q", "--format", "json", "."});
  const json doc = json::parse(as_json.out);
  const json& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), doc["findings"].size());
  for (size_t i = 0; i < results.size(); ++i) {
    const json& f = doc["findings"][i];
    const json& location = results[i]["locations"][0]["physicalLocation"];
    const std::string uri = location["artifactLocation"]["uri"];
    EXPECT_FALSE(uri.starts_with("/"));
    EXPECT_EQ(uri.find('['), std::string::npos) << uri;
    EXPECT_EQ(uri.find("%5Bid%5D") != std::string::npos, f["path"].get<std::string>().find("[id]") != std::string::npos);
    EXPECT_EQ(location["region"]["startLine"], f["line"]);
    EXPECT_EQ(results[i]["ruleId"], f["rule"]);
    const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
    EXPECT_EQ(rules[results[i]["ruleIndex"].get<size_t>()]["id"], f["rule"]);
  }
  EXPECT_EQ(log["runs"][0]["columnKind"], "utf16CodeUnits");
  EXPECT_EQ(repo.run({"check", "-q", "--format", "sarif", "."}).out, r.out);  // same bytes every run
}

TEST(CheckFormat, UnknownFormatIsAUsageError) {
  Repo repo;
  EXPECT_EQ(repo.run({"check", "--format", "xml", "."}).status, 2);
  EXPECT_EQ(repo.run({"check", "--format", "markdown", "."}).status, 2);
}

}  // namespace
