#include "lsp/text.h"

#include <algorithm>
#include <utility>

namespace routeauth::lsp {

uint32_t utf16_units(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC0) return 0;  // a continuation byte
  if (lead < 0xF0) return 1;  // 2 or 3 bytes: one unit
  return 2;                   // 4 bytes: a surrogate pair
}

uint32_t utf8_length(unsigned char lead) {
  if (lead < 0xC0) return 1;  // ASCII, or a stray continuation byte taken alone
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

TextIndex::TextIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

Position TextIndex::position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const uint32_t line = static_cast<uint32_t>(after - line_starts_.begin()) - 1;
  uint32_t character = 0;
  for (uint32_t i = line_starts_[line]; i < offset;) {
    const auto lead = static_cast<unsigned char>(text_[i]);
    const uint32_t next = i + utf8_length(lead);
    if (next > offset) break;  // offset inside this character's bytes
    character += std::max<uint32_t>(utf16_units(lead), 1);
    i = next;
  }
  return Position{line, character};
}

uint32_t TextIndex::offset(Position p) const {
  if (p.line >= line_starts_.size()) return static_cast<uint32_t>(text_.size());
  const uint32_t begin = line_starts_[p.line];
  uint32_t end = p.line + 1 < line_starts_.size() ? line_starts_[p.line + 1] - 1 : static_cast<uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r' && end < text_.size() && text_[end] == '\n') --end;
  uint32_t units = 0;
  uint32_t i = begin;
  while (i < end) {
    const auto lead = static_cast<unsigned char>(text_[i]);
    const uint32_t width = std::max<uint32_t>(utf16_units(lead), 1);
    if (units + width > p.character) break;
    units += width;
    i = std::min(end, i + utf8_length(lead));
  }
  return i;
}

void replace_range(std::string& text, Position start, Position end, std::string_view replacement) {
  if (end < start) std::swap(start, end);
  const TextIndex index(text);
  const uint32_t from = index.offset(start);
  const uint32_t to = index.offset(end);
  text.replace(from, to - from, replacement);
}

}  // namespace routeauth::lsp
