// engine::Query and QueryCursor: text predicates evaluated by the client, errors that point into
// the query file, and the embedded queries compiling for both grammars.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "engine/query.h"
#include "engine/source.h"
#include "engine/syntax.h"

using namespace routeauth::engine;

namespace {

// The text of capture `name` in every match of `source` over `code`, in match order.
std::vector<std::string> run(const std::string& source, const std::string& code, const std::string& name,
                             Grammar grammar = Grammar::typescript) {
  const Query q(grammar, "test.scm", source);
  const SourceFile file(grammar == Grammar::tsx ? "route.tsx" : "route.ts", code);
  Parser parser;
  const Tree tree = parser.parse(file);
  QueryCursor cursor;
  std::vector<std::string> out;
  const uint32_t c = q.capture(name);
  for (const Match& m : cursor.run(q, tree.root(), file)) {
    const TSNode node = m.get(c);
    out.emplace_back(ts_node_is_null(node) ? "<null>" : std::string(text(file, node)));
  }
  return out;
}

// The message of the QueryError that compiling `source` throws, or "" when it compiles.
std::string error_of(const std::string& name, const std::string& source) {
  try {
    const Query q(Grammar::typescript, name, source);
  } catch (const QueryError& e) {
    return e.what();
  }
  return "";
}

using Strings = std::vector<std::string>;

const std::string kDeclarations = "const a = 1; const b = a; let c = 2; const d = d;\n";
const std::string kDeclarator = "(variable_declarator name: (identifier) @name value: (_) @value";

// ---- predicates ---------------------------------------------------------------------------------

TEST(QueryPredicates, EqWithString) {
  EXPECT_EQ(run(kDeclarator + " (#eq? @name \"a\"))", kDeclarations, "name"), Strings{"a"});
}

TEST(QueryPredicates, EqWithTwoCaptures) {
  EXPECT_EQ(run(kDeclarator + " (#eq? @name @value))", kDeclarations, "name"), Strings{"d"});
}

TEST(QueryPredicates, NotEqWithString) {
  EXPECT_EQ(run(kDeclarator + " (#not-eq? @name \"a\"))", kDeclarations, "name"), (Strings{"b", "c", "d"}));
}

TEST(QueryPredicates, NotEqWithTwoCaptures) {
  EXPECT_EQ(run(kDeclarator + " (#not-eq? @name @value))", kDeclarations, "name"), (Strings{"a", "b", "c"}));
}

TEST(QueryPredicates, AnyOf) {
  EXPECT_EQ(run(kDeclarator + " (#any-of? @name \"a\" \"c\" \"z\"))", kDeclarations, "name"),
            (Strings{"a", "c"}));
}

TEST(QueryPredicates, NotAnyOf) {
  EXPECT_EQ(run(kDeclarator + " (#not-any-of? @name \"a\" \"c\"))", kDeclarations, "name"),
            (Strings{"b", "d"}));
}

TEST(QueryPredicates, Match) {
  EXPECT_EQ(run(kDeclarator + " (#match? @name \"^[ab]$\"))", kDeclarations, "name"), (Strings{"a", "b"}));
}

TEST(QueryPredicates, MatchSearchesAnywhereInTheText) {
  // Like tree-sitter's own #match?: a search, not a whole-text match.
  EXPECT_EQ(run("((identifier) @id (#match? @id \"API\"))", "const x = BRAIN_API_URL; y;\n", "id"),
            (Strings{"BRAIN_API_URL"}));
}

TEST(QueryPredicates, NotMatch) {
  EXPECT_EQ(run(kDeclarator + " (#not-match? @name \"^[ab]$\"))", kDeclarations, "name"), (Strings{"c", "d"}));
}

TEST(QueryPredicates, SeveralPredicatesMustAllHold) {
  EXPECT_EQ(run(kDeclarator + " (#match? @name \"^[a-c]$\") (#not-eq? @name \"b\"))", kDeclarations, "name"),
            (Strings{"a", "c"}));
}

TEST(QueryPredicates, PredicatesArePerPattern) {
  // The second pattern has no predicate: it matches every number.
  const std::string source =
      "((identifier) @x (#eq? @x \"b\"))\n"
      "((number) @x)\n";
  std::multiset<std::string> got;
  for (auto& s : run(source, kDeclarations, "x")) got.insert(s);
  EXPECT_EQ(got, (std::multiset<std::string>{"1", "2", "b"}));
}

TEST(QueryPredicates, PredicateOnAnAbsentOptionalCaptureHolds) {
  // `@value` is optional: `let e;` has none, and the predicate on it does not reject the match.
  const std::string source =
      "(variable_declarator name: (identifier) @name value: (_)? @value (#eq? @value \"1\"))";
  EXPECT_EQ(run(source, "const a = 1; const b = 2; let e;\n", "name"), (Strings{"a", "e"}));
}

TEST(QueryPredicates, TsxGrammar) {
  EXPECT_EQ(run("((jsx_opening_element name: (identifier) @tag) (#eq? @tag \"div\"))",
                "const e = <div><span /></div>;\n", "tag", Grammar::tsx),
            Strings{"div"});
}

// ---- errors -------------------------------------------------------------------------------------

TEST(QueryErrors, UnknownPredicateNamesTheFileAndPosition) {
  const std::string message = error_of("probe.scm", "; a comment\n  ((identifier) @id (#foo? @id \"x\"))\n");
  EXPECT_NE(message.find("queries/probe.scm:2:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown predicate #foo?"), std::string::npos) << message;
}

TEST(QueryErrors, UnknownPredicateExactMessage) {
  EXPECT_EQ(error_of("probe.scm", "((identifier) @id (#foo? @id \"x\"))"),
            "queries/probe.scm:1:1: unknown predicate #foo?; use #eq?, #match?, #any-of? (or their not- forms)");
}

TEST(QueryErrors, UnknownPredicateInALaterPattern) {
  const std::string message =
      error_of("two.scm", "((identifier) @a (#eq? @a \"x\"))\n\n((number) @n (#is-odd? @n))\n");
  EXPECT_NE(message.find("queries/two.scm:3:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("#is-odd?"), std::string::npos) << message;
}

TEST(QueryErrors, SyntaxErrorNamesFileLineColumnAndOffset) {
  // The stray `)` on line 2, column 14, is at byte 31.
  const std::string source = "((identifier) @a)\n((number) @n))\n";
  ASSERT_EQ(source.find("))\n", 20) + 1, 31u);
  const std::string message = error_of("broken.scm", source);
  EXPECT_EQ(message, "queries/broken.scm:2:14: syntax error (offset 31); fix the query file");
}

TEST(QueryErrors, UnknownNodeTypeNamesItsPosition) {
  const std::string message = error_of("nodes.scm", "(program\n  (no_such_node) @x)\n");
  EXPECT_EQ(message, "queries/nodes.scm:2:4: unknown node type (offset 12); fix the query file");
}

TEST(QueryErrors, UnknownFieldIsReported) {
  const std::string message = error_of("fields.scm", "(call_expression nope: (identifier) @x)");
  EXPECT_NE(message.find("queries/fields.scm:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown field"), std::string::npos) << message;
}

TEST(QueryErrors, PredicateArgumentsAreChecked) {
  EXPECT_NE(error_of("a.scm", "((identifier) @a (#eq? @a))").find("#eq? takes two arguments"), std::string::npos);
  EXPECT_NE(error_of("a.scm", "((identifier) @a (#eq? \"x\" @a))").find("needs a capture as its first argument"),
            std::string::npos);
  EXPECT_NE(error_of("a.scm", "((identifier) @a (#any-of? @a))").find("#any-of? needs a value"), std::string::npos);
  EXPECT_NE(error_of("a.scm", "((identifier) @a (#match? @a \"x\" \"y\"))").find("#match? takes one pattern"),
            std::string::npos);
  EXPECT_NE(error_of("a.scm", "((identifier) @a (#match? @a \"[\"))").find("bad #match? pattern \"[\""),
            std::string::npos);
}

TEST(QueryErrors, ValidQueryDoesNotThrow) {
  EXPECT_EQ(error_of("ok.scm", kDeclarator + " (#eq? @name \"a\"))"), "");
}

TEST(QueryCapture, KnownAndUnknownNames) {
  const Query q(Grammar::typescript, "caps.scm", "(variable_declarator name: (identifier) @first value: (_) @second)");
  EXPECT_EQ(q.capture("first"), 0u);
  EXPECT_EQ(q.capture("second"), 1u);
  EXPECT_EQ(q.name(), "caps.scm");
  try {
    (void)q.capture("thrid");
    FAIL() << "no QueryError for a misspelt capture";
  } catch (const QueryError& e) {
    EXPECT_STREQ(e.what(), "queries/caps.scm: no capture @thrid");
  }
}

TEST(QueryCapture, MatchGetOfAnAbsentCaptureIsNull) {
  Match m;
  EXPECT_TRUE(ts_node_is_null(m.get(0)));
}

// ---- embedded queries -----------------------------------------------------------------------------

TEST(EmbeddedQueries, TheModelQueriesAreEmbedded) {
  std::set<std::string> names;
  for (const auto& q : embedded_queries()) {
    names.insert(std::string(q.name));
    EXPECT_FALSE(q.source.empty()) << q.name;
  }
  for (const char* needed : {"fetch.scm", "handlers.scm", "imports.scm", "url.scm"}) {
    EXPECT_TRUE(names.contains(needed)) << needed << " is not embedded";
  }
}

TEST(EmbeddedQueries, EveryQueryCompilesForBothGrammars) {
  for (const auto& q : embedded_queries()) {
    for (const Grammar g : {Grammar::typescript, Grammar::tsx}) {
      const char* grammar = g == Grammar::tsx ? "tsx" : "typescript";
      try {
        const Query& compiled = query(q.name, g);
        EXPECT_EQ(compiled.name(), q.name);
        EXPECT_NE(compiled.raw(), nullptr);
        // Compiled once per process: the same object every time.
        EXPECT_EQ(&compiled, &query(q.name, g)) << q.name << " " << grammar;
      } catch (const QueryError& e) {
        ADD_FAILURE() << q.name << " (" << grammar << "): " << e.what();
      }
    }
  }
}

TEST(EmbeddedQueries, GrammarsGetDistinctQueries) {
  EXPECT_NE(&query("handlers.scm", Grammar::typescript), &query("handlers.scm", Grammar::tsx));
}

TEST(EmbeddedQueries, UnknownQueryNameThrows) {
  try {
    (void)query("nope.scm", Grammar::typescript);
    FAIL() << "no QueryError for an unknown query";
  } catch (const QueryError& e) {
    EXPECT_STREQ(e.what(), "no query named queries/nope.scm");
  }
}

TEST(EmbeddedQueries, FetchQueryFindsGlobalFetchOnly) {
  const SourceFile file("route.ts",
                        "await fetch(a);\nawait globalThis.fetch(b);\nawait client.fetch(c);\nawait fetcher(d);\n");
  Parser parser;
  const Tree tree = parser.parse(file);
  QueryCursor cursor;
  const Query& q = query("fetch.scm", Grammar::typescript);
  std::vector<std::string> calls;
  for (const Match& m : cursor.run(q, tree.root(), file)) calls.emplace_back(text(file, m.get(q.capture("fetch"))));
  EXPECT_EQ(calls, (Strings{"fetch(a)", "globalThis.fetch(b)"}));
}

}  // namespace
