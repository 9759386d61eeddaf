// engine::SourceFile (positions, line index, indentation), its raw_style(), detect_style() from
// the syntax tree, and Style's rendering helpers.
#include <gtest/gtest.h>

#include <string>

#include "engine/source.h"
#include "engine/syntax.h"

using routeauth::engine::Parser;
using routeauth::engine::Position;
using routeauth::engine::SourceFile;
using routeauth::engine::Style;
using routeauth::engine::Tree;

namespace {

const std::string kBom = "\xEF\xBB\xBF";

// "line:col" of an offset, so a failure shows both numbers at once.
std::string at(const SourceFile& file, uint32_t offset) {
  const Position p = file.position(offset);
  return std::to_string(p.line) + ":" + std::to_string(p.column);
}

Style detected(const std::string& name, const std::string& text) {
  const SourceFile file(name, text);
  Parser parser;
  const Tree tree = parser.parse(file);
  return routeauth::engine::detect_style(file, tree.root());
}

// ---- position() -----------------------------------------------------------------------------

TEST(SourcePosition, LinesAndColumnsAreOneBased) {
  const SourceFile file("route.ts", "ab\ncd\n");
  EXPECT_EQ(at(file, 0), "1:1");
  EXPECT_EQ(at(file, 1), "1:2");
  EXPECT_EQ(at(file, 2), "1:3");  // the newline belongs to its line
  EXPECT_EQ(at(file, 3), "2:1");
  EXPECT_EQ(at(file, 4), "2:2");
  EXPECT_EQ(at(file, 5), "2:3");
  EXPECT_EQ(at(file, 6), "3:1");  // end of file, after the last newline
}

TEST(SourcePosition, ColumnsCountBytesNotCharacters) {
  // "é" is two bytes in UTF-8: the `x` after it is at byte column 4.
  const SourceFile file("route.ts", "a\xC3\xA9x\n");
  EXPECT_EQ(at(file, 3), "1:4");
}

TEST(SourcePosition, BomIsExcludedOnLineOneOnly) {
  const SourceFile file("route.ts", kBom + "ab\ncd\n");
  EXPECT_EQ(file.bom_size(), 3u);
  EXPECT_EQ(at(file, 0), "1:1");  // inside the BOM: clamped to the first column
  EXPECT_EQ(at(file, 3), "1:1");  // `a`
  EXPECT_EQ(at(file, 4), "1:2");  // `b`
  EXPECT_EQ(at(file, 6), "2:1");  // `c`: no BOM to subtract on line 2
  EXPECT_EQ(at(file, 7), "2:2");
}

TEST(SourcePosition, NoBomMeansNoOffset) {
  const SourceFile file("route.ts", "\xEF\xBB");  // a truncated BOM is not a BOM
  EXPECT_EQ(file.bom_size(), 0u);
  EXPECT_EQ(at(file, 1), "1:2");
}

TEST(SourcePosition, CrlfLinesEndAtTheLineFeed) {
  const SourceFile file("route.ts", "ab\r\ncd\r\n");
  EXPECT_EQ(at(file, 2), "1:3");  // '\r' is still on line 1
  EXPECT_EQ(at(file, 3), "1:4");  // '\n'
  EXPECT_EQ(at(file, 4), "2:1");
  EXPECT_EQ(at(file, 5), "2:2");
}

// ---- line_start / line_end / next_line_start --------------------------------------------------

TEST(SourceLines, LfLines) {
  const SourceFile file("route.ts", "ab\ncd\n");
  EXPECT_EQ(file.line_start(0), 0u);
  EXPECT_EQ(file.line_start(2), 0u);
  EXPECT_EQ(file.line_start(4), 3u);
  EXPECT_EQ(file.line_end(0), 2u);
  EXPECT_EQ(file.line_end(1), 2u);
  EXPECT_EQ(file.line_end(4), 5u);
  EXPECT_EQ(file.next_line_start(0), 3u);
  EXPECT_EQ(file.next_line_start(4), 6u);
}

TEST(SourceLines, CrlfLineEndsAtTheCarriageReturn) {
  const SourceFile file("route.ts", "ab\r\ncd\r\n");
  EXPECT_EQ(file.line_end(0), 2u);
  EXPECT_EQ(file.line_end(3), 2u);  // from the '\n' itself
  EXPECT_EQ(file.next_line_start(0), 4u);
  EXPECT_EQ(file.line_start(5), 4u);
  EXPECT_EQ(file.line_end(5), 6u);
  EXPECT_EQ(file.next_line_start(5), 8u);
}

TEST(SourceLines, LastLineWithoutNewline) {
  const SourceFile file("route.ts", "a\nbc");
  EXPECT_EQ(file.line_start(3), 2u);
  EXPECT_EQ(file.line_end(2), 4u);
  EXPECT_EQ(file.line_end(3), 4u);
  EXPECT_EQ(file.next_line_start(2), 4u);  // size(): there is no next line
  EXPECT_EQ(file.line_start(4), 2u);       // end of file is on the last line
  EXPECT_FALSE(file.ends_with_newline());
}

TEST(SourceLines, EndOfFileAfterFinalNewlineIsAnEmptyLine) {
  const SourceFile file("route.ts", "a\n");
  EXPECT_EQ(file.line_start(2), 2u);
  EXPECT_EQ(file.line_end(2), 2u);
  EXPECT_EQ(file.next_line_start(2), 2u);
  EXPECT_TRUE(file.ends_with_newline());
}

TEST(SourceLines, BlankLine) {
  const SourceFile file("route.ts", "a\n\nb\n");
  EXPECT_EQ(file.line_start(2), 2u);
  EXPECT_EQ(file.line_end(2), 2u);
  EXPECT_EQ(file.next_line_start(2), 3u);
}

TEST(SourceLines, EmptyFile) {
  const SourceFile file("route.ts", "");
  EXPECT_EQ(at(file, 0), "1:1");
  EXPECT_EQ(file.line_start(0), 0u);
  EXPECT_EQ(file.line_end(0), 0u);
  EXPECT_EQ(file.next_line_start(0), 0u);
  EXPECT_FALSE(file.ends_with_newline());
}

// ---- indentation_at ---------------------------------------------------------------------------

TEST(SourceIndentation, LeadingBlanksOfTheLine) {
  const std::string text = "x\n  \tfoo()\n    bar\nbaz\n";
  const SourceFile file("route.ts", text);
  EXPECT_EQ(file.indentation_at(static_cast<uint32_t>(text.find("foo"))), "  \t");
  EXPECT_EQ(file.indentation_at(static_cast<uint32_t>(text.find("()"))), "  \t");  // mid-line
  EXPECT_EQ(file.indentation_at(static_cast<uint32_t>(text.find("bar"))), "    ");
  EXPECT_EQ(file.indentation_at(static_cast<uint32_t>(text.find("baz"))), "");
  EXPECT_EQ(file.indentation_at(0), "");
}

TEST(SourceIndentation, BomIsNotIndentation) {
  const SourceFile file("route.ts", kBom + "  a\n");
  EXPECT_EQ(file.indentation_at(5), "  ");
  EXPECT_EQ(file.indentation_at(0), "  ");
}

TEST(SourceIndentation, CrlfBlankLineHasNoIndentation) {
  const SourceFile file("route.ts", "a\r\n\r\n  b\r\n");
  EXPECT_EQ(file.indentation_at(3), "");
  EXPECT_EQ(file.indentation_at(7), "  ");
}

// ---- file kinds --------------------------------------------------------------------------------

TEST(SourceKind, ExtensionPicksTypescriptAndTsx) {
  EXPECT_TRUE(SourceFile("app/route.ts", "").is_typescript());
  EXPECT_FALSE(SourceFile("app/route.ts", "").is_tsx());
  EXPECT_TRUE(SourceFile("app/route.tsx", "").is_typescript());
  EXPECT_TRUE(SourceFile("app/route.tsx", "").is_tsx());
  EXPECT_FALSE(SourceFile("app/route.js", "").is_typescript());
  EXPECT_FALSE(SourceFile("app/route.js", "").is_tsx());
  EXPECT_FALSE(SourceFile("app/route.mjs", "").is_typescript());
  EXPECT_TRUE(SourceFile("app/route.jsx", "").is_tsx());
  EXPECT_FALSE(SourceFile("app/route.jsx", "").is_typescript());
}

// ---- raw_style() --------------------------------------------------------------------------------

TEST(RawStyle, TwoSpaceIndent) {
  const SourceFile file("route.ts", "function f() {\n  if (x) {\n    y()\n  }\n}\n");
  EXPECT_EQ(file.raw_style().indent_unit, "  ");
}

TEST(RawStyle, FourSpaceIndent) {
  const SourceFile file("route.ts", "function f() {\n    if (x) {\n        y()\n    }\n}\n");
  EXPECT_EQ(file.raw_style().indent_unit, "    ");
}

TEST(RawStyle, TabIndent) {
  const SourceFile file("route.ts", "function f() {\n\tif (x) {\n\t\ty()\n\t}\n}\n");
  EXPECT_EQ(file.raw_style().indent_unit, "\t");
}

TEST(RawStyle, DeepFirstIndentDoesNotBeatTheCommonStep) {
  // One 8-space continuation line; everything else steps by 4.
  const SourceFile file("route.ts",
                        "function f() {\n    const a = g(\n            1)\n    if (a) {\n        b()\n"
                        "    }\n    if (c) {\n        d()\n    }\n}\n");
  EXPECT_EQ(file.raw_style().indent_unit, "    ");
}

TEST(RawStyle, BlockCommentContinuationLinesDoNotCount) {
  // " * doc" lines are indented by one space; the code steps by 4.
  const SourceFile file("route.ts", "/**\n * doc\n * more\n */\nfunction f() {\n    x()\n}\n");
  EXPECT_EQ(file.raw_style().indent_unit, "    ");
}

TEST(RawStyle, NoIndentationKeepsTheDefault) {
  const SourceFile file("route.ts", "a()\nb()\n");
  EXPECT_EQ(file.raw_style().indent_unit, "  ");
}

TEST(RawStyle, CrlfMajority) {
  const SourceFile file("route.ts", "a\r\nb\r\nc\n");
  EXPECT_EQ(file.raw_style().eol, "\r\n");
}

TEST(RawStyle, LfMajority) {
  const SourceFile file("route.ts", "a\r\nb\nc\n");
  EXPECT_EQ(file.raw_style().eol, "\n");
}

TEST(RawStyle, LineEndingTieKeepsLf) {
  const SourceFile file("route.ts", "a\r\nb\n");
  EXPECT_EQ(file.raw_style().eol, "\n");
}

TEST(RawStyle, NoLineEndingKeepsLf) {
  const SourceFile file("route.ts", "a");
  EXPECT_EQ(file.raw_style().eol, "\n");
}

TEST(RawStyle, Bom) {
  EXPECT_TRUE(SourceFile("route.ts", kBom + "a\n").raw_style().bom);
  EXPECT_FALSE(SourceFile("route.ts", "a\n").raw_style().bom);
}

TEST(RawStyle, BomDoesNotDisturbIndentDetection) {
  const SourceFile file("route.ts", kBom + "function f() {\n    x()\n}\n");
  EXPECT_EQ(file.raw_style().indent_unit, "    ");
}

// ---- detect_style() ---------------------------------------------------------------------------

TEST(DetectStyle, ImportSourcesDecideTheQuote) {
  // The import uses double quotes; every other string uses single quotes.
  const Style style = detected("route.ts",
                               "import { a } from \"x\";\nconst s = 'a';\nconst t = 'b';\nconst u = 'c';\n");
  EXPECT_EQ(style.quote, '"');
}

TEST(DetectStyle, SingleQuotedImports) {
  const Style style = detected("route.ts",
                               "import { a } from 'x';\nconst s = \"a\";\nconst t = \"b\";\n");
  EXPECT_EQ(style.quote, '\'');
}

TEST(DetectStyle, ReExportSourcesCountAsImports) {
  const Style style = detected("route.ts", "export { a } from \"x\";\nconst s = 'a';\nconst t = 'b';\n");
  EXPECT_EQ(style.quote, '"');
}

TEST(DetectStyle, OtherStringsWithoutImports) {
  EXPECT_EQ(detected("route.ts", "const s = \"a\";\nconst t = \"b\";\nconst u = 'c';\n").quote, '"');
  EXPECT_EQ(detected("route.ts", "const s = 'a';\nconst t = 'b';\nconst u = \"c\";\n").quote, '\'');
}

TEST(DetectStyle, NoStringsKeepsSingleQuotes) {
  EXPECT_EQ(detected("route.ts", "const a = 1;\n").quote, '\'');
}

TEST(DetectStyle, Semicolons) {
  const Style style = detected("route.ts", "import { a } from 'x';\nconst b = a();\nexport function f() {\n  return b;\n}\n");
  EXPECT_TRUE(style.semicolons);
}

TEST(DetectStyle, NoSemicolons) {
  const Style style = detected("route.ts", "import { a } from 'x'\nconst b = a()\nexport function f() {\n  return b\n}\n");
  EXPECT_FALSE(style.semicolons);
}

TEST(DetectStyle, SemicolonsByMajority) {
  EXPECT_FALSE(detected("route.ts", "a()\nb()\nc();\n").semicolons);
  EXPECT_TRUE(detected("route.ts", "a();\nb();\nc()\n").semicolons);
}

TEST(DetectStyle, KeepsRawStyle) {
  const Style style = detected("route.ts", kBom + "import x from \"y\"\r\nfunction f() {\r\n\tx()\r\n}\r\n");
  EXPECT_TRUE(style.bom);
  EXPECT_EQ(style.eol, "\r\n");
  EXPECT_EQ(style.indent_unit, "\t");
  EXPECT_EQ(style.quote, '"');
  EXPECT_FALSE(style.semicolons);
}

TEST(DetectStyle, BomFileParsesWithoutErrors) {
  const SourceFile file("route.ts", kBom + "import x from 'y'\nexport const a = x\n");
  Parser parser;
  const Tree tree = parser.parse(file);
  EXPECT_FALSE(routeauth::engine::first_syntax_error(tree.root()).has_value());
}

TEST(DetectStyle, TsxGrammar) {
  const Style style = detected("route.tsx", "import x from \"y\";\nconst e = <div className='a'>{x}</div>;\n");
  EXPECT_EQ(style.quote, '"');
  EXPECT_TRUE(style.semicolons);
}

// ---- Style helpers ------------------------------------------------------------------------------

TEST(StyleQuoted, EscapesTheQuoteCharAndBackslash) {
  Style single;
  single.quote = '\'';
  EXPECT_EQ(single.quoted("Content-Type"), "'Content-Type'");
  EXPECT_EQ(single.quoted("it's"), "'it\\'s'");
  EXPECT_EQ(single.quoted("say \"hi\""), "'say \"hi\"'");
  EXPECT_EQ(single.quoted("a\\b"), "'a\\\\b'");
  EXPECT_EQ(single.quoted(""), "''");

  Style dbl;
  dbl.quote = '"';
  EXPECT_EQ(dbl.quoted("it's"), "\"it's\"");
  EXPECT_EQ(dbl.quoted("say \"hi\""), "\"say \\\"hi\\\"\"");
}

TEST(StyleHelpers, SemiAndIndent) {
  Style s;
  EXPECT_EQ(s.semi(), ";");
  s.semicolons = false;
  EXPECT_EQ(s.semi(), "");
  s.indent_unit = "\t";
  EXPECT_EQ(s.indent(0), "");
  EXPECT_EQ(s.indent(2), "\t\t");
  s.indent_unit = "    ";
  EXPECT_EQ(s.indent(3), std::string(12, ' '));
}

TEST(StyleHelpers, Defaults) {
  const Style s;
  EXPECT_EQ(s.indent_unit, "  ");
  EXPECT_EQ(s.quote, '\'');
  EXPECT_TRUE(s.semicolons);
  EXPECT_EQ(s.eol, "\n");
  EXPECT_FALSE(s.bom);
}

}  // namespace
