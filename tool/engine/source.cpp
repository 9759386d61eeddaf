#include "engine/source.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <numeric>

#include <fmt/format.h>

namespace routeauth::engine {

std::string Style::quoted(std::string_view text) const {
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (char c : text) {
    if (c == quote || c == '\\') out += '\\';
    out += c;
  }
  out += quote;
  return out;
}

std::string Style::indent(unsigned levels) const {
  std::string out;
  for (unsigned i = 0; i < levels; ++i) out += indent_unit;
  return out;
}

namespace {
bool has_suffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

SourceFile::SourceFile(std::string path, std::string bytes)
    : path_(std::move(path)), bytes_(std::move(bytes)) {
  if (bytes_.size() >= 3 && bytes_.compare(0, 3, "\xEF\xBB\xBF") == 0) bom_size_ = 3;
  line_starts_.push_back(0);
  const char* const begin = bytes_.data();
  const char* const end = begin + bytes_.size();
  for (const char* nl = begin; (nl = static_cast<const char*>(std::memchr(nl, '\n', end - nl))) != nullptr; ++nl) {
    line_starts_.push_back(static_cast<uint32_t>(nl - begin + 1));
  }
}

std::string_view SourceFile::slice(uint32_t begin, uint32_t end) const {
  return std::string_view(bytes_).substr(begin, end - begin);
}

bool SourceFile::is_typescript() const {
  return has_suffix(path_, ".ts") || has_suffix(path_, ".tsx") || has_suffix(path_, ".mts") ||
         has_suffix(path_, ".cts");
}

bool SourceFile::is_tsx() const { return has_suffix(path_, ".tsx") || has_suffix(path_, ".jsx"); }

Position SourceFile::position(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t start = *(it - 1);
  if (line == 1) start = std::min(std::max(start, bom_size_), offset);
  return {line, offset - start + 1};
}

uint32_t SourceFile::line_start(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return *(it - 1);
}

uint32_t SourceFile::next_line_start(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return it == line_starts_.end() ? static_cast<uint32_t>(bytes_.size()) : *it;
}

uint32_t SourceFile::line_end(uint32_t offset) const {
  uint32_t next = next_line_start(offset);
  if (next > 0 && next <= bytes_.size() && next > line_start(offset) && bytes_[next - 1] == '\n') {
    --next;
    if (next > 0 && bytes_[next - 1] == '\r') --next;
  }
  return next;
}

std::string_view SourceFile::indentation_at(uint32_t offset) const {
  uint32_t start = line_start(offset);
  if (start == 0) start = bom_size_;
  uint32_t end = start;
  while (end < bytes_.size() && (bytes_[end] == ' ' || bytes_[end] == '\t')) ++end;
  return slice(start, end);
}

bool SourceFile::ends_with_newline() const { return !bytes_.empty() && bytes_.back() == '\n'; }

Style SourceFile::raw_style() const {
  Style style;
  style.bom = bom_size_ > 0;

  // Line endings: the majority of terminated lines; ties and files without any keep "\n".
  size_t crlf = 0;
  size_t lf = 0;
  for (size_t i = 1; i < line_starts_.size(); ++i) {
    const uint32_t nl = line_starts_[i] - 1;
    (nl > 0 && bytes_[nl - 1] == '\r') ? ++crlf : ++lf;
  }
  if (crlf > lf) style.eol = "\r\n";

  // Indentation: tabs when most indented lines start with a tab; otherwise the most common
  // positive step between the indentation of consecutive non-blank lines.
  size_t tab_lines = 0;
  size_t space_lines = 0;
  std::map<size_t, size_t> steps;
  size_t previous = 0;
  for (size_t i = 0; i < line_starts_.size(); ++i) {
    uint32_t p = line_starts_[i];
    if (i == 0) p = bom_size_;
    uint32_t q = p;
    while (q < bytes_.size() && bytes_[q] == ' ') ++q;
    const bool tab = q < bytes_.size() && bytes_[q] == '\t';
    uint32_t end = q;
    while (end < bytes_.size() && (bytes_[end] == ' ' || bytes_[end] == '\t')) ++end;
    if (end >= bytes_.size() || bytes_[end] == '\n' || bytes_[end] == '\r') continue;  // blank
    // Continuation lines of block comments (" * ...") do not tell the indent unit.
    if (bytes_[end] == '*') continue;
    if (tab && q == p) {
      ++tab_lines;
      continue;
    }
    const size_t width = q - p;
    if (width > 0) ++space_lines;
    if (width > previous) ++steps[width - previous];
    previous = width;
  }
  if (tab_lines > space_lines) {
    style.indent_unit = "\t";
  } else if (!steps.empty()) {
    size_t best = 2;
    size_t best_count = 0;
    for (auto [step, count] : steps) {
      if (step <= 8 && count > best_count) {
        best = step;
        best_count = count;
      }
    }
    style.indent_unit = std::string(best, ' ');
  }
  return style;
}

namespace {

// The length of the UTF-8 sequence at `at`, or 0 when it is not a valid one.
size_t utf8_length(std::string_view s, size_t at) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(at);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (at + n > s.size()) return 0;
  if (b(at + 1) < lo || b(at + 1) > hi) return 0;
  for (size_t i = 2; i < n; ++i) {
    if ((b(at + i) & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

std::optional<Unusable> unusable_text(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c == 0) {
      return Unusable{static_cast<uint32_t>(i),
                      "a NUL byte: this is not a text file; nothing was changed: remove the byte, or leave the file "
                      "out with --exclude"};
    }
    const size_t n = utf8_length(bytes, i);
    if (n == 0) {
      return Unusable{static_cast<uint32_t>(i),
                      fmt::format("not valid UTF-8 (byte 0x{:02X}); routeauth reads and writes UTF-8 only and "
                                  "changed nothing: convert the file to UTF-8 (iconv -t UTF-8) and run it again",
                                  c)};
    }
    i += n;
  }
  return std::nullopt;
}

}  // namespace routeauth::engine
