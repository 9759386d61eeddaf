// The golden fixtures: fixtures/<rule>/<situation>.input.<ext> and .output.<ext>, with an
// optional .findings.txt (what check reports on the input). For every fixture:
//   apply(input) == output, byte for byte;     apply(output) == output;
//   check(output) has no fixable finding;       output parses;
//   check(input) == .findings.txt when present.
// A folder named after a rule runs that rule alone (with manual-review), as clang-tidy tests a
// check alone: its inputs start from the state the earlier rules leave. fixtures/migration/ runs
// every rule: the guide's whole migration. A <situation>.config.json beside a fixture holds the
// routeauth.json settings it runs with (e.g. { "emptyAuthorization": "omit" }).
// ROUTEAUTH_UPDATE_FIXTURES=1 writes the actual .output and .findings.txt instead, for review.
// Whole projects (more than one file: where authOptions lives) are fixtures/projects/<case>/,
// run by project_fixtures_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "engine/config_file.h"
#include "engine/rule.h"
#include "engine/syntax.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace routeauth;
using routeauth::testing::slurp;

namespace {

struct Fixture {
  std::string rule;
  std::string situation;
  fs::path input, output, findings, config;
  std::string ext;  // ".ts"
};

std::vector<Fixture> discover() {
  std::vector<Fixture> out;
  const fs::path root = routeauth::testing::source_dir() / "fixtures";
  if (!fs::exists(root)) return out;
  static const std::regex name(R"(^(.+)\.input(\.(ts|tsx|js|jsx|mjs))$)");
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::smatch m;
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || !std::regex_match(file, m, name)) continue;
    Fixture f;
    f.rule = entry.path().parent_path().filename().string();
    f.situation = m[1];
    f.ext = m[2];
    f.input = entry.path();
    f.output = entry.path().parent_path() / (f.situation + ".output" + f.ext);
    f.findings = entry.path().parent_path() / (f.situation + ".findings.txt");
    f.config = entry.path().parent_path() / (f.situation + ".config.json");
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const Fixture& a, const Fixture& b) {
    return std::tie(a.rule, a.situation, a.ext) < std::tie(b.rule, b.situation, b.ext);
  });
  return out;
}

// Shown in test output instead of the struct's bytes.
[[maybe_unused]] void PrintTo(const Fixture& f, std::ostream* os) { *os << f.input.string(); }

engine::Config config_for(const Fixture& f) {
  engine::Config config;
  if (fs::exists(f.config)) {
    engine::Selection selection;
    (void)engine::load_config(f.config.string(), config, selection);
  }
  if (f.rule == "migration") return config;
  for (const auto& rule : engine::rules()) {
    if (rule->id() != f.rule && rule->id() != "manual-review") config.disabled_rules.emplace(rule->id());
  }
  return config;
}

class Golden : public ::testing::TestWithParam<Fixture> {};

TEST_P(Golden, Holds) {
  const Fixture& f = GetParam();
  const std::string file_name = "route" + f.ext;
  const std::string input = slurp(f.input);
  const engine::Config config = config_for(f);
  if (f.rule != "migration") {
    ASSERT_TRUE(engine::find_rule(f.rule)) << "fixtures/" << f.rule << " names no rule";
  }
  const engine::Outcome applied = routeauth::testing::fix(file_name, input, config);
  ASSERT_NE(applied.status, engine::Status::parse_error) << applied.error;
  ASSERT_NE(applied.status, engine::Status::internal_error) << applied.error;

  if (std::getenv("ROUTEAUTH_UPDATE_FIXTURES")) {
    routeauth::testing::spit(f.output, applied.result);
    const std::string found = routeauth::testing::findings_text(routeauth::testing::check(file_name, input, config));
    if (!found.empty() || fs::exists(f.findings)) routeauth::testing::spit(f.findings, found);
    GTEST_SKIP() << "updated " << f.output;
  }

  ASSERT_TRUE(fs::exists(f.output)) << f.output << " is missing";
  const std::string expected = slurp(f.output);
  EXPECT_EQ(applied.result, expected) << "apply(input) differs from " << f.output;

  const engine::Outcome again = routeauth::testing::fix(file_name, expected, config);
  EXPECT_EQ(again.result, expected) << "apply(output) changes the output: not idempotent";

  const engine::Outcome checked = routeauth::testing::check(file_name, expected, config);
  for (const auto& finding : checked.findings) {
    EXPECT_FALSE(finding.fixable()) << "check(output) still finds [" << finding.rule << "] " << finding.message;
  }

  engine::Parser parser;
  const engine::SourceFile out_file(file_name, expected);
  const engine::Tree tree = parser.parse(out_file);
  EXPECT_FALSE(engine::first_syntax_error(tree.root()).has_value()) << f.output << " does not parse";

  if (fs::exists(f.findings)) {
    EXPECT_EQ(routeauth::testing::findings_text(routeauth::testing::check(file_name, input, config)), slurp(f.findings))
        << "check(input) differs from " << f.findings;
  }
}

std::string name_of(const ::testing::TestParamInfo<Fixture>& info) {
  return routeauth::testing::case_name(info.param.rule + "_" + info.param.situation + "_" + info.param.ext.substr(1));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Golden, ::testing::ValuesIn(discover()), name_of);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

TEST(Fixtures, EveryInputHasItsOutput) {
  for (const auto& f : discover()) {
    if (std::getenv("ROUTEAUTH_UPDATE_FIXTURES")) continue;
    EXPECT_TRUE(fs::exists(f.output)) << f.input << " has no " << f.output.filename();
  }
}

}  // namespace
