// A route file's bytes, its line index and the code style it is written in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace routeauth::engine {

struct Position {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, in bytes (as clang and gcc count), BOM excluded
};

// How the file is written; every rule renders inserted code through it, so that new code looks
// like the code around it.
struct Style {
  std::string indent_unit = "  ";  // one level: "  ", "    " or "\t"
  char quote = '\'';               // '\'' or '"'
  bool semicolons = true;
  std::string eol = "\n";  // "\n" or "\r\n"
  bool bom = false;

  [[nodiscard]] std::string quoted(std::string_view text) const;
  [[nodiscard]] std::string_view semi() const { return semicolons ? ";" : ""; }
  [[nodiscard]] std::string indent(unsigned levels) const;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string bytes);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& text() const { return bytes_; }
  [[nodiscard]] std::string_view slice(uint32_t begin, uint32_t end) const;
  [[nodiscard]] uint32_t bom_size() const { return bom_size_; }
  [[nodiscard]] bool is_typescript() const;  // .ts / .tsx (type annotations allowed)
  [[nodiscard]] bool is_tsx() const;         // .tsx / .jsx: the TSX grammar

  [[nodiscard]] Position position(uint32_t offset) const;
  [[nodiscard]] uint32_t line_start(uint32_t offset) const;  // offset of the line holding offset
  [[nodiscard]] uint32_t line_end(uint32_t offset) const;    // offset of its line terminator
  [[nodiscard]] uint32_t next_line_start(uint32_t offset) const;  // size() when on the last line
  [[nodiscard]] std::string_view indentation_at(uint32_t offset) const;  // leading blanks of its line
  [[nodiscard]] bool ends_with_newline() const;

  // Fills in what the tree does not tell (indentation, line endings, BOM); quotes and semicolons
  // are refined from the syntax tree by detect_style() in syntax.h.
  [[nodiscard]] Style raw_style() const;

 private:
  std::string path_;
  std::string bytes_;
  uint32_t bom_size_ = 0;
  std::vector<uint32_t> line_starts_;
};

// Why some bytes are not a route file routeauth will rewrite: empty (or only a BOM), a NUL byte,
// or not UTF-8 (overlong forms, surrogates and code points past U+10FFFF included). Such a file
// is skipped with this message rather than processed: a NUL says it is not source at all, and a
// file in another encoding would have UTF-8 written into it. `what` is "<what>; <what to do>".
struct Unusable {
  uint32_t offset = 0;
  std::string what;
};
[[nodiscard]] std::optional<Unusable> unusable_text(std::string_view bytes);

}  // namespace routeauth::engine
