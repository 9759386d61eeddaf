// The base protocol of the Language Server Protocol: each message is a header block
// (`Content-Length: N`, maybe `Content-Type: ...`, each line ending in \r\n) and an empty line,
// then exactly N bytes of JSON. Nothing here knows what the JSON says.
#pragma once

#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>

namespace routeauth::lsp {

// A header block without a usable Content-Length. The block has been read: the next message can
// still be read after it.
class FramingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The body of the next message, or nothing at the end of the input (also in the middle of a
// message: a client that went away). Throws FramingError for a header block without a
// Content-Length, or with one that is not a number.
[[nodiscard]] std::optional<std::string> read_message(std::istream& in);

// Writes `body` framed, and flushes.
void write_message(std::ostream& out, const std::string& body);

}  // namespace routeauth::lsp
