#include "output/diff.h"

#include "engine/git_repo.h"

#include <git2.h>

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace routeauth::output {

namespace {

[[noreturn]] void fail(std::string_view what) {
  const git_error* e = git_error_last();
  throw std::runtime_error(std::string(what) + ": " + (e && e->message ? e->message : "libgit2 error"));
}

using PatchPtr = std::unique_ptr<git_patch, decltype(&git_patch_free)>;

PatchPtr make_patch(std::string_view path, const std::string& before, const std::string& after, int context_lines) {
  engine::ensure_libgit2();
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.context_lines = static_cast<uint32_t>(context_lines);
  // Route files are text even when they hold a NUL or odd bytes: never "Binary files differ".
  options.flags |= GIT_DIFF_FORCE_TEXT;
  const std::string p(path);
  git_patch* raw = nullptr;
  if (git_patch_from_buffers(&raw, before.data(), before.size(), p.c_str(), after.data(), after.size(),
                             p.c_str(), &options) != 0) {
    fail("diff " + p);
  }
  return PatchPtr(raw, &git_patch_free);
}

}  // namespace

std::string unified_diff(std::string_view path, const std::string& before, const std::string& after,
                         int context_lines) {
  if (before == after) return {};
  const std::string p(path);
  PatchPtr patch = make_patch(path, before, after, context_lines);
  git_buf buf = GIT_BUF_INIT;
  if (git_patch_to_buf(&buf, patch.get()) != 0) fail("diff " + p);
  std::string out(buf.ptr, buf.size);
  git_buf_dispose(&buf);
  return out;
}

std::string colorize(const std::string& patch) {
  constexpr std::string_view bold = "\033[1m", cyan = "\033[36m", red = "\033[31m", green = "\033[32m",
                             reset = "\033[m";
  std::string out;
  out.reserve(patch.size() + patch.size() / 4);
  bool in_header = false;
  size_t start = 0;
  while (start < patch.size()) {
    size_t end = patch.find('\n', start);
    if (end == std::string::npos) end = patch.size();
    std::string_view line(patch.data() + start, end - start);
    std::string_view colour;
    if (line.starts_with("diff --git ")) in_header = true;
    if (in_header) {
      colour = bold;
      if (line.starts_with("+++ ")) in_header = false;
    } else if (line.starts_with("@@")) {
      colour = cyan;
    } else if (line.starts_with("+")) {
      colour = green;
    } else if (line.starts_with("-")) {
      colour = red;
    }
    if (colour.empty()) {
      out += line;
    } else {
      // Keep a CR inside the colour, so the reset stays on the same terminal line.
      out += colour;
      out += line;
      out += reset;
    }
    if (end < patch.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

DiffStat diff_stat(std::string_view path, const std::string& before, const std::string& after) {
  DiffStat stat{std::string(path), 0, 0};
  if (before == after) return stat;
  PatchPtr patch = make_patch(path, before, after, 0);
  size_t context = 0;
  if (git_patch_line_stats(&context, &stat.added, &stat.deleted, patch.get()) != 0) fail("diff --stat " + stat.path);
  return stat;
}

namespace {

size_t decimal_width(size_t n) { return std::to_string(n).size(); }

// Columns a path takes on a terminal: one per UTF-8 code point.
size_t columns(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// git's scale_linear: at least one column for any change, the largest change fills `width`.
size_t scale_linear(size_t it, size_t width, size_t max_change) {
  return it == 0 ? 0 : 1 + it * (width - 1) / max_change;
}

}  // namespace

std::string format_stat(const std::vector<DiffStat>& stats, bool color, size_t width) {
  if (stats.empty()) return " 0 files changed\n";
  size_t max_len = 0;
  size_t max_change = 0;
  size_t added = 0;
  size_t deleted = 0;
  for (const auto& s : stats) {
    max_len = std::max(max_len, columns(s.path));
    max_change = std::max(max_change, s.added + s.deleted);
    added += s.added;
    deleted += s.deleted;
  }
  // git's layout (diff.c, show_stats): " name | N +++---", within `width` columns with one left
  // free; the graph gets what the names leave, at most 3/8 of the width when both do not fit.
  const size_t number_width = decimal_width(max_change);
  width = std::max(width, 16 + 6 + number_width);
  size_t graph_width = max_change;
  size_t name_width = max_len;
  if (name_width + number_width + 6 + graph_width > width) {
    const size_t limit = width * 3 / 8;
    if (graph_width + number_width + 6 > limit) graph_width = std::max<size_t>(6, limit > number_width + 6 ? limit - number_width - 6 : 0);
    if (name_width > width - number_width - 6 - graph_width) {
      name_width = width - number_width - 6 - graph_width;
    } else {
      graph_width = width - number_width - 6 - name_width;
    }
  }
  std::string out;
  for (const auto& s : stats) {
    // A name too long for its column keeps its end, from a '/', behind "...".
    std::string_view name = s.path;
    std::string_view prefix;
    size_t len = name_width;
    if (columns(name) > name_width) {
      prefix = "...";
      len = name_width > 3 ? name_width - 3 : 0;
      while (columns(name) > len) {
        name.remove_prefix(1);
        while (!name.empty() && (static_cast<unsigned char>(name.front()) & 0xC0) == 0x80) name.remove_prefix(1);
      }
      if (const size_t slash = name.find('/'); slash != std::string_view::npos) name.remove_prefix(slash);
    }
    const size_t padding = len > columns(name) ? len - columns(name) : 0;
    // One factor for every file, so the bars compare them; changes that fit are drawn one for one.
    size_t plus = s.added;
    size_t minus = s.deleted;
    if (graph_width <= max_change) {
      size_t total = scale_linear(plus + minus, graph_width, max_change);
      if (total < 2 && plus && minus) total = 2;
      if (plus < minus) {
        plus = scale_linear(plus, graph_width, max_change);
        minus = total - plus;
      } else {
        minus = scale_linear(minus, graph_width, max_change);
        plus = total - minus;
      }
    }
    const size_t total = s.added + s.deleted;
    out += fmt::format(" {}{}{} | {:>{}}{}", prefix, name, std::string(padding, ' '), total, number_width,
                       total ? " " : "");
    if (plus) out += color ? fmt::format("\033[32m{}\033[m", std::string(plus, '+')) : std::string(plus, '+');
    if (minus) out += color ? fmt::format("\033[31m{}\033[m", std::string(minus, '-')) : std::string(minus, '-');
    out += '\n';
  }
  out += fmt::format(" {} file{} changed", stats.size(), stats.size() == 1 ? "" : "s");
  if (added || !deleted) out += fmt::format(", {} insertion{}(+)", added, added == 1 ? "" : "s");
  if (deleted || !added) out += fmt::format(", {} deletion{}(-)", deleted, deleted == 1 ? "" : "s");
  out += '\n';
  return out;
}

}  // namespace routeauth::output
