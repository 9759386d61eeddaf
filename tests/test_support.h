// Helpers shared by the tests: reading fixtures, running the engine in-process.
#pragma once

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/config.h"
#include "engine/pipeline.h"

namespace routeauth::testing {

inline std::filesystem::path source_dir() { return ROUTEAUTH_SOURCE_DIR; }

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// A name gtest accepts for a parameterised case: every character but letters and digits as '_'.
inline std::string case_name(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// `LINE:COL: severity: message [id]` for each finding of `outcome`, as .findings.txt holds them.
std::string findings_text(const engine::Outcome& outcome);

// Runs the whole engine on `text` as if it were the file `name` (its extension picks the grammar).
engine::Outcome fix(const std::string& name, const std::string& text, const engine::Config& config = {});
engine::Outcome check(const std::string& name, const std::string& text, const engine::Config& config = {});

}  // namespace routeauth::testing
