// Inputs the fuzzer found (fuzz/regressions/), replayed through the real binary: a few hundred
// bytes of broken TSX on which tree-sitter's error recovery ran for minutes and took gigabytes
// (the parse budget turns it into a parse error; its few non-ASCII bytes were made ASCII, since
// invalid UTF-8 is now refused before parsing, and it still blows up), and routes whose first statement shares the
// line of the body's '{' (the session call used to run into it, and the fix was refused).
#include <gtest/gtest.h>

#include <string>

#include "cli_support.h"
#include "engine/syntax.h"

namespace {

namespace cli = routeauth::testing::cli;
namespace fs = std::filesystem;

// A fuzzer input: the first byte picks the file name (byte % 3: route.ts, route.tsx, route.js).
struct Input {
  std::string name;
  std::string text;
};

Input regression(const std::string& file) {
  const std::string bytes = cli::slurp(fs::path(ROUTEAUTH_SOURCE_DIR) / "fuzz" / "regressions" / file);
  if (bytes.empty()) throw std::runtime_error("missing fuzz/regressions/" + file);
  static const char* const kNames[] = {"route.ts", "route.tsx", "route.js"};
  return {kNames[static_cast<unsigned char>(bytes[0]) % 3], bytes.substr(1)};
}

TEST(ParseBudget, IsGenerousForNormalFiles) {
  // 4-5 MB/s is a normal parse: a 4 MB file gets 30 s, 100x what it needs.
  EXPECT_EQ(routeauth::engine::parse_budget_micros(0), 10'000'000u);
  EXPECT_EQ(routeauth::engine::parse_budget_micros(4'000'000), 30'000'000u);
}

TEST(ParseBudget, ABlowUpIsAParseErrorNotAHang) {
  const cli::Sandbox box;
  const Input input = regression("parser-blowup-tsx");
  const fs::path route = box.root() / "app/api/x" / input.name;
  cli::spit(route, input.text);
  const cli::Result r = box.run("check --no-config app");
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_TRUE(cli::has(r.out, "app/api/x/route.tsx:1:1: error: file does not parse: the parser gave up after 10 s"))
      << r.out;
  EXPECT_EQ(cli::slurp(route), input.text);

  const cli::Result applied = box.run("apply --no-config app");
  EXPECT_EQ(applied.status, 3) << applied.out << applied.err;
  EXPECT_EQ(cli::slurp(route), input.text);
}

TEST(BraceLine, FirstStatementOnTheLineOfTheBraceIsMigrated) {
  for (const char* file : {"statement-on-brace-line-js", "statement-after-brace-tsx"}) {
    const cli::Sandbox box;
    const Input input = regression(file);
    const fs::path route = box.root() / "app/api/x" / input.name;
    cli::spit(route, input.text);
    const cli::Result applied = box.run("apply --no-config app");
    EXPECT_EQ(applied.status, 0) << file << "\n" << applied.out << applied.err;
    EXPECT_NE(cli::slurp(route), input.text) << file;
    EXPECT_TRUE(cli::has(cli::slurp(route), "const session = await getServerSession(authOptions)\n")) << file;
    const cli::Result checked = box.run("check --no-config app");
    EXPECT_EQ(checked.status, 0) << file << "\n" << checked.out << checked.err;
  }
}

}  // namespace
