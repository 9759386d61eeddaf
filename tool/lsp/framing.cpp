#include "lsp/framing.h"

#include <fmt/format.h>

#include <charconv>
#include <istream>
#include <ostream>

namespace routeauth::lsp {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> read_message(std::istream& in) {
  std::optional<size_t> length;
  std::string bad_length;
  bool any_header = false;
  std::string line;
  for (;;) {
    if (!std::getline(in, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!any_header) continue;  // stray blank lines between messages
      break;
    }
    any_header = true;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;  // not a header; the block still ends at the blank line
    if (!equals_ignoring_case(trimmed(std::string_view(line).substr(0, colon)), "content-length")) continue;
    const std::string_view value = trimmed(std::string_view(line).substr(colon + 1));
    size_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
      bad_length = std::string(value);
    } else {
      length = n;
    }
  }
  if (!length) {
    throw FramingError(bad_length.empty() ? std::string("a message without a Content-Length header")
                                          : fmt::format("Content-Length '{}' is not a number of bytes", bad_length));
  }
  std::string body(*length, '\0');
  in.read(body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<size_t>(in.gcount()) != *length) return std::nullopt;
  return body;
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace routeauth::lsp
