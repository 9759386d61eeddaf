#include "output/write.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

namespace routeauth::output {

namespace {

[[noreturn]] void fail(std::string_view what, const std::string& path, int error) {
  throw std::runtime_error(fmt::format("{}: {}: {}", path, what, std::strerror(error)));
}

[[noreturn]] void refuse(std::string message) { throw FileError(std::move(message)); }

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

FileStamp stamp_of(const struct stat& st) {
  return FileStamp{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino), static_cast<int64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// Appends the rest of `fd` to `bytes`, at most `limit` bytes in all; false when there is more.
bool read_all(int fd, std::string& bytes, uint64_t limit, int& error) {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return false;
    }
    if (n == 0) return true;
    if (bytes.size() + static_cast<size_t>(n) > limit) {
      error = EFBIG;
      return false;
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
}

// The temporary files writes have in flight. Creating one and adding it here, and renaming one and removing it from here, each happen under
// the mutex, so the interrupt thread, which takes the mutex and never gives it back, sees every
// temporary file that exists and no rename can follow its cleanup.
struct InFlight {
  std::mutex mutex;
  std::set<std::string> temps;
};

InFlight& in_flight() {
  static InFlight* const state = new InFlight;  // never destroyed: the interrupt thread may outlive main
  return *state;
}

// Creates the temporary file beside `target` and registers it; returns its descriptor.
int create_temp(const std::string& target, std::string& temp) {
  const std::filesystem::path t(target);
  temp = (t.parent_path() / ("." + t.filename().string() + ".routeauth-XXXXXX")).string();
  InFlight& state = in_flight();
  std::lock_guard lock(state.mutex);
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd >= 0) state.temps.insert(temp);
  return fd;
}

void forget_temp(const std::string& temp, bool unlink) {
  InFlight& state = in_flight();
  std::lock_guard lock(state.mutex);
  if (unlink) ::unlink(temp.c_str());
  state.temps.erase(temp);
}

// Writes `bytes` to a new temporary file beside `target` with `st`'s owner and permission bits,
// flushed to disk, and registered in InFlight; returns its path. Throws FileError (without the
// path; the temporary file removed) on failure.
std::string write_temp(const std::string& target, const std::string& bytes, const struct stat& st) {
  std::string temp;
  Fd fd(create_temp(target, temp));
  if (fd.fd < 0) {
    refuse(fmt::format("cannot create a temporary file beside it ({}); nothing was changed", std::strerror(errno)));
  }
  auto abandon = [&](std::string_view what, int error) {
    forget_temp(temp, true);
    refuse(fmt::format("{} ({}); nothing was changed", what, std::strerror(error)));
  };
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("cannot be written", errno);
    }
    done += static_cast<size_t>(n);
  }
  struct stat mine {};
  if (::fstat(fd.fd, &mine) != 0) abandon("cannot be written", errno);
  // Root (or a member of the file's group) writing someone else's file must not take it over.
  if ((mine.st_uid != st.st_uid || mine.st_gid != st.st_gid) && ::fchown(fd.fd, st.st_uid, st.st_gid) != 0) {
    abandon("cannot keep its owner", errno);
  }
  if (::fchmod(fd.fd, st.st_mode & 07777) != 0) abandon("cannot keep its permissions", errno);
  if (::fsync(fd.fd) != 0) abandon("cannot flush", errno);
  const int closed = ::close(fd.fd);
  fd.fd = -1;
  if (closed != 0) abandon("cannot be written", errno);
  return temp;
}

// Makes a rename durable: flushes the folder that holds the entry.
void sync_folder(const std::string& file) {
  const std::string dir = std::filesystem::path(file).parent_path().string();
  Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.fd >= 0) (void)::fsync(fd.fd);
}

// Renames the registered temporary file `temp` over `target` once `last_check` has not thrown,
// both under the mutex; on failure the temporary file is removed. Throws FileError.
template <typename Check>
void rename_temp(const std::string& temp, const std::string& target, Check last_check) {
  InFlight& state = in_flight();
  std::lock_guard lock(state.mutex);
  auto drop = [&] {
    ::unlink(temp.c_str());
    state.temps.erase(temp);
  };
  try {
    last_check();
  } catch (...) {
    drop();
    throw;
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const int e = errno;
    drop();
    refuse(fmt::format("cannot be replaced ({}); nothing was changed", std::strerror(e)));
  }
  state.temps.erase(temp);
}

std::string real_path(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

bool inside(const std::string& path, const std::string& root) {
  if (root == "/") return true;
  return path == root || (path.size() > root.size() && path.starts_with(root) && path[root.size()] == '/');
}

// Whether `path` is still the file that was read: same file, size and mtime, same bytes.
bool unchanged(const std::string& path, const WriteCheck& check) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.fd < 0) return false;
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (check.stamp && stamp_of(st) != *check.stamp) return false;
  if (!check.expected) return true;
  if (static_cast<uint64_t>(st.st_size) != check.expected->size()) return false;
  std::string now;
  now.reserve(check.expected->size());
  int error = 0;
  return read_all(fd.fd, now, check.expected->size(), error) && now == *check.expected;
}

}  // namespace

std::string over_limit(uint64_t size, uint64_t max_bytes) {
  return fmt::format("{} bytes, over the limit of {} bytes; nothing was changed: raise it with --max-file-size or "
                     "\"maxFileSize\" in routeauth.json, or leave the file out with --exclude",
                     size, max_bytes);
}

SourceRead read_source(const std::string& path, uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO named route.ts must not hang; it is refused below.
  Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (fd.fd < 0) {
    const int e = errno;
    if (e == EACCES || e == EPERM) {
      refuse(fmt::format("cannot be read ({}); nothing was changed: make it readable (chmod u+r), or leave it "
                         "out with --exclude",
                         std::strerror(e)));
    }
    refuse(fmt::format("cannot be read ({}); nothing was changed", std::strerror(e)));
  }
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) refuse(fmt::format("cannot be read ({}); nothing was changed", std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) {
    refuse("a directory, not a route file; nothing was read: rename it, or leave it out with --exclude");
  }
  if (!S_ISREG(st.st_mode)) {
    refuse("not a regular file (a device, FIFO or socket); nothing was read: leave it out with --exclude");
  }
  auto too_large = [&](uint64_t size) { refuse(over_limit(size, max_bytes)); };
  if (static_cast<uint64_t>(st.st_size) > max_bytes) too_large(static_cast<uint64_t>(st.st_size));
  SourceRead out;
  out.stamp = stamp_of(st);
  out.bytes.reserve(static_cast<size_t>(st.st_size));
  int error = 0;
  if (!read_all(fd.fd, out.bytes, max_bytes, error)) {
    if (error == EFBIG) too_large(out.bytes.size());
    refuse(fmt::format("cannot be read ({}); nothing was changed", std::strerror(error)));
  }
  return out;
}

void write_carefully(const std::string& path, const std::string& bytes, const WriteCheck& check) {
  // The file the path names, symbolic links resolved: the temporary file goes beside it and is
  // renamed over it, so a link stays a link.
  const std::string target = real_path(path);
  if (target.empty()) refuse(fmt::format("cannot be written ({}); nothing was changed", std::strerror(errno)));
  if (!check.root.empty()) {
    const std::string root = real_path(check.root);
    if (root.empty() || !inside(target, root)) {
      refuse(fmt::format("resolves to {}, outside the repository {}; not written through the link: migrate that "
                         "file in its own repository",
                         target, root.empty() ? check.root : root));
    }
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0) {
    refuse(fmt::format("cannot be written ({}); nothing was changed", std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) refuse("not a regular file; nothing was changed");
  // rename() needs only the folder to be writable, and root may write anything: a file without
  // a write permission bit is somebody's decision, which routeauth respects (it never chmods).
  if ((st.st_mode & 0222) == 0 || ::access(target.c_str(), W_OK) != 0) {
    refuse("read-only; nothing was changed (routeauth never changes permissions): make it writable (chmod u+w) "
           "and run apply again, or leave it out with --exclude");
  }
  const std::string changed_message =
      "changed on disk since routeauth read it; not overwritten: run apply again to migrate the new version";
  if (!unchanged(target, check)) refuse(changed_message);

  const std::string temp = write_temp(target, bytes, st);
  // The last look and the rename under the mutex: an interrupt either finds the temporary file
  // registered (and removes it; the original stays) or comes after the rename.
  rename_temp(temp, target, [&] {
    if (!unchanged(target, check)) refuse(changed_message);
  });
  sync_folder(target);
}

void write_atomically(const std::string& path, const std::string& bytes) {
  try {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) refuse(fmt::format("cannot be written ({})", std::strerror(errno)));
    rename_temp(write_temp(path, bytes, st), path, [] {});
  } catch (const FileError& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.what()));
  }
}

void guard_interrupts() {
  static std::once_flag once;
  std::call_once(once, [] {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction current {};
      // A signal the parent ignores (`nohup`, a background job) stays ignored.
      if (::sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
      sigaddset(&set, sig);
    }
    if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return;
    std::thread([set] {
      for (;;) {
        int sig = 0;
        if (::sigwait(&set, &sig) != 0) continue;
        InFlight& state = in_flight();
        state.mutex.lock();  // kept: no write renames or creates a temporary file after this
        for (const std::string& temp : state.temps) ::unlink(temp.c_str());
        // End as the signal would have: the default action, taken by this thread.
        ::signal(sig, SIG_DFL);
        sigset_t only;
        sigemptyset(&only);
        sigaddset(&only, sig);
        ::pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
        ::raise(sig);
        ::_exit(128 + sig);
      }
    }).detach();
  });
}

std::string read_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot read", path, errno);
  Fd guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("cannot read", path, errno);
  if (S_ISDIR(st.st_mode)) fail("cannot read", path, EISDIR);
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  int error = 0;
  if (!read_all(fd, bytes, UINT64_MAX, error)) fail("cannot read", path, error);
  return bytes;
}

}  // namespace routeauth::output
