// A document as an editor sees it: lines separated by \n, positions counted in UTF-16 code units
// (what LSP requires), while routeauth counts bytes of UTF-8. This room converts between the two
// and applies an editor's incremental changes to the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace routeauth::lsp {

// An LSP Position: 0-based line, and the character as UTF-16 code units from the line's start.
struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
  auto operator<=>(const Position&) const = default;
};

class TextIndex {
 public:
  explicit TextIndex(std::string_view text);

  // Where byte `offset` is (clamped to the end of the text). An offset inside a character's bytes
  // counts as that character's start.
  [[nodiscard]] Position position(uint32_t offset) const;
  // The byte offset of `p`. Out of range is clamped, as LSP asks: a line past the last one means
  // the end of the text, a character past the end of its line the end of that line (before its
  // \r\n or \n); a character inside a surrogate pair the start of that character.
  [[nodiscard]] uint32_t offset(Position p) const;
  // The position just after the last character.
  [[nodiscard]] Position end() const { return position(static_cast<uint32_t>(text_.size())); }

 private:
  std::string_view text_;
  std::vector<uint32_t> line_starts_;
};

// How many UTF-16 code units the UTF-8 character starting with `lead` takes (0 for a
// continuation byte), and how many bytes it takes.
[[nodiscard]] uint32_t utf16_units(unsigned char lead);
[[nodiscard]] uint32_t utf8_length(unsigned char lead);

// Replaces the text between `start` and `end` (LSP positions in `text`, clamped; swapped when
// reversed) with `replacement`.
void replace_range(std::string& text, Position start, Position end, std::string_view replacement);

}  // namespace routeauth::lsp
