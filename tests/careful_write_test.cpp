// The pieces under the hostile-input tests, in process: reading a route file with limits,
// refusing to overwrite a file that changed since it was read, the text checks, size parsing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iterator>
#include <string>

#include "cli_support.h"
#include "engine/config_file.h"
#include "engine/source.h"
#include "output/write.h"

namespace routeauth {
namespace {

namespace fs = std::filesystem;

using testing::cli::slurp;
using testing::cli::spit;

// A temporary folder (a Sandbox, whose copy of the example app these tests ignore).
class Folder {
 public:
  [[nodiscard]] std::string path(const std::string& name) const { return box_.path(name); }
  [[nodiscard]] size_t entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(box_.root() / "w"), fs::directory_iterator()));
  }
  Folder() { fs::create_directories(box_.root() / "w"); }

 private:
  testing::cli::Sandbox box_;
};

// Sets the modification time of `path` to the one in `stamp`.
void set_mtime(const std::string& path, const output::FileStamp& stamp) {
  const timespec times[2] = {{0, UTIME_OMIT},
                             {static_cast<time_t>(stamp.mtime_ns / 1'000'000'000), static_cast<long>(stamp.mtime_ns % 1'000'000'000)}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

output::WriteCheck check_of(const output::SourceRead& read) {
  output::WriteCheck check;
  check.expected = &read.bytes;
  check.stamp = read.stamp;
  return check;
}

std::string error_of(const std::string& path, const std::string& bytes, const output::WriteCheck& check) {
  try {
    output::write_carefully(path, bytes, check);
  } catch (const output::FileError& e) {
    return e.what();
  }
  return "";
}

const std::string kChanged =
    "changed on disk since routeauth read it; not overwritten: run apply again to migrate the new version";

TEST(CarefulWrite, ReplacesAnUnchangedFileAndLeavesNoTemporaryFile) {
  Folder dir;
  const std::string file = dir.path("w/route.ts");
  spit(file, "old\n");
  const auto read = output::read_source(file, 1024);
  output::write_carefully(file, "new\n", check_of(read));
  EXPECT_EQ(slurp(file), "new\n");
  EXPECT_EQ(dir.entries(), 1u);
}

// Reads "old\n", lets `disturb` change the file, and expects the write refused with the file as
// `disturb` left it.
void expect_changed_refused(const std::function<void(const std::string& file, const output::SourceRead&)>& disturb,
                            const std::string& left) {
  Folder dir;
  const std::string file = dir.path("w/route.ts");
  spit(file, "old\n");
  const auto read = output::read_source(file, 1024);
  disturb(file, read);
  EXPECT_EQ(error_of(file, "new\n", check_of(read)), kChanged);
  EXPECT_EQ(slurp(file), left);
  EXPECT_EQ(dir.entries(), 1u);
}

TEST(CarefulWrite, RefusesAFileWhoseBytesChangedSameSizeSameMtime) {
  expect_changed_refused(
      [](const std::string& file, const output::SourceRead& read) {
        spit(file, "odd\n");
        set_mtime(file, read.stamp);
      },
      "odd\n");
}

TEST(CarefulWrite, RefusesAFileTouchedSinceItWasRead) {
  expect_changed_refused(
      [](const std::string& file, const output::SourceRead& read) {
        output::FileStamp later = read.stamp;
        later.mtime_ns += 1'000'000'000;
        set_mtime(file, later);
      },
      "old\n");
}

TEST(CarefulWrite, RefusesAFileReplacedByAnotherWithTheSameBytes) {
  expect_changed_refused(
      [](const std::string& file, const output::SourceRead& read) {
        const std::string other = file + ".other";
        spit(other, "old\n");
        set_mtime(other, read.stamp);
        fs::rename(other, file);  // a new inode, as an editor's save-by-rename makes
      },
      "old\n");
}

TEST(CarefulWrite, RefusesAFileThatIsGone) {
  Folder dir;
  const std::string file = dir.path("w/route.ts");
  spit(file, "old\n");
  const auto read = output::read_source(file, 1024);
  fs::remove(file);
  EXPECT_EQ(error_of(file, "new\n", check_of(read)), "cannot be written (No such file or directory); nothing was changed");
  EXPECT_FALSE(fs::exists(file));
}

TEST(ReadSource, RefusesWhatIsNotARegularFileWithoutBlocking) {
  Folder dir;
  ASSERT_EQ(::mkfifo(dir.path("w/route.ts").c_str(), 0644), 0);
  try {
    (void)output::read_source(dir.path("w/route.ts"), 1024);
    FAIL() << "a FIFO was read";
  } catch (const output::FileError& e) {
    EXPECT_STREQ(e.what(), "not a regular file (a device, FIFO or socket); nothing was read: leave it out with --exclude");
  }
}

TEST(ReadSource, RefusesAFileOverTheLimitAtTheLimitIsFine) {
  Folder dir;
  spit(dir.path("w/route.ts"), std::string(100, 'x'));
  EXPECT_EQ(output::read_source(dir.path("w/route.ts"), 100).bytes.size(), 100u);
  try {
    (void)output::read_source(dir.path("w/route.ts"), 99);
    FAIL() << "read past the limit";
  } catch (const output::FileError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("100 bytes, over the limit of 99 bytes; nothing was changed"))
        << e.what();
  }
}

TEST(UnusableText, AcceptsUtf8AndRefusesTheRest) {
  using engine::unusable_text;
  EXPECT_FALSE(unusable_text("const a = 'é 日本 🚀 \xEF\xBF\xBF \xF4\x8F\xBF\xBF'\n"));
  EXPECT_FALSE(unusable_text("\xEF\xBB\xBF" "x"));
  // An empty file is usable: a route without handlers (issue 18 point 4).
  EXPECT_FALSE(unusable_text(""));
  EXPECT_FALSE(unusable_text("\xEF\xBB\xBF"));
  EXPECT_EQ(unusable_text(std::string("ab\0c", 4))->offset, 2u);
  EXPECT_TRUE(unusable_text(std::string("ab\0c", 4))->what.starts_with("a NUL byte"));
  for (const std::string bad : {"x\x80", "x\xC1\x81", "x\xE0\x80\x80", "x\xED\xA0\x80", "x\xF4\x90\x80\x80",
                                "x\xF5\x80\x80\x80", "x\xE6\x97", "x\xFF", "x\xC3("}) {
    const auto problem = unusable_text(bad);
    ASSERT_TRUE(problem) << bad;
    EXPECT_EQ(problem->offset, 1u) << bad;
    EXPECT_TRUE(problem->what.starts_with("not valid UTF-8 (byte 0x")) << problem->what;
  }
}

TEST(ParseSize, BytesAndUnits) {
  EXPECT_EQ(engine::parse_size("4096"), 4096u);
  EXPECT_EQ(engine::parse_size("512KB"), 512u * 1024);
  EXPECT_EQ(engine::parse_size("8 MB"), 8u << 20);
  EXPECT_EQ(engine::parse_size("8mib"), 8u << 20);
  EXPECT_EQ(engine::parse_size("1G"), 1u << 30);
  for (const char* bad : {"", "0", "MB", "-1", "2GB", "1.5MB", "12 parsecs", "99999999999999999999999"}) {
    EXPECT_FALSE(engine::parse_size(bad)) << bad;
  }
}

}  // namespace
}  // namespace routeauth
