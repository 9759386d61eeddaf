// Reading a route file with care, and writing it so that it is either wholly old or wholly new:
// a temporary file in the same folder, flushed, given the original's owner and permission bits,
// checked against what was read, renamed over the original. An interrupted run leaves no
// temporary file behind (guard_interrupts).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace routeauth::output {

// A file routeauth will not read or write. what() is "<what>; <what to do>" without the path,
// so that the caller can name the file as it shows it.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a file was when it was read: a write refuses to replace a file that is no longer so.
struct FileStamp {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

struct SourceRead {
  std::string bytes;
  FileStamp stamp;
};

// "<size> bytes, over the limit of <max_bytes> bytes; ...": what read_source says of a larger file,
// for content that comes from elsewhere (the git index).
[[nodiscard]] std::string over_limit(uint64_t size, uint64_t max_bytes);

// Reads a route file: a regular file (symbolic links followed) of at most `max_bytes`. Throws
// FileError for a directory, another kind of file, a larger file or a read error.
[[nodiscard]] SourceRead read_source(const std::string& path, uint64_t max_bytes);

// What a careful write checks before it replaces `path`.
struct WriteCheck {
  std::string root;                 // the real path must stay inside it (symlinks resolved); empty: no check
  const std::string* expected = nullptr;  // the bytes that were read: the file must still hold them
  std::optional<FileStamp> stamp;   // and still be that file, of that size and mtime
};

// Replaces the file `path` resolves to with `bytes`, atomically. Throws FileError, leaving the
// file untouched, when the file resolves outside check.root, is read-only (no write permission
// bit, or not writable by this user: rename() would replace it anyway, so this is checked), was
// changed since it was read, or on a system error.
void write_carefully(const std::string& path, const std::string& bytes, const WriteCheck& check);

// write_carefully without the checks; for files routeauth creates or owns (config, hook).
// Throws std::runtime_error naming the path and the system error; the original is untouched then.
void write_atomically(const std::string& path, const std::string& bytes);

// From now on, SIGINT, SIGTERM and SIGHUP (those not ignored) are taken by one thread, which
// deletes every temporary file a write has in flight, stops any more renames, and ends the
// process by the same signal. Call it before starting other threads: they inherit the blocked
// signals, and a thread started earlier could take a signal and die without the cleanup.
// Idempotent.
void guard_interrupts();

// Reads a whole file; throws std::runtime_error naming the path and the system error.
[[nodiscard]] std::string read_file(const std::string& path);

}  // namespace routeauth::output
