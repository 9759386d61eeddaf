// Writing a file so that it is either wholly old or wholly new: a temporary file in the same
// folder, flushed, given the original's permission bits, renamed over the original.
#pragma once

#include <string>

namespace routeauth::output {

// Throws std::runtime_error naming the path and the system error; the original is untouched then.
void write_atomically(const std::string& path, const std::string& bytes);

// Reads a whole file; throws std::runtime_error naming the path and the system error.
[[nodiscard]] std::string read_file(const std::string& path);

}  // namespace routeauth::output
