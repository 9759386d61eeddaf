// routeauth_fuzz_replay [--sources] FILE|FOLDER...: runs inputs through the fuzz target's
// invariants (route_fuzzer.cpp) without libFuzzer, so that the normal build and ctest replay
// fuzz/regressions/ on every run (the `fuzz_regressions` test). A folder stands for its files,
// in name order, except README.md and dotfiles. A violation aborts, as under libFuzzer.
// --sources: the files are route sources, not fuzz inputs; the selector byte comes from the
// extension (.tsx 1, .js/.mjs/.jsx 2, else 0: the fuzz target has route.ts, .tsx and .js), and folders are searched recursively for
// *.input.* fixtures and route.* files (the `fixture_invariants` test: every fixture).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  LLVMFuzzerInitialize(&argc, &argv);
  std::vector<fs::path> inputs;
  bool sources = false;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    if (arg == "--sources") {
      sources = true;
      continue;
    }
    if (!fs::is_directory(arg)) {
      inputs.push_back(arg);
      continue;
    }
    if (sources) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(arg)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && (name.find(".input.") != std::string::npos || name.starts_with("route."))) {
          files.push_back(e.path());
        }
      }
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(arg)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file() && !name.starts_with(".") && !name.ends_with(".md")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    inputs.insert(inputs.end(), files.begin(), files.end());
  }
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "routeauth_fuzz_replay: cannot read %s\n", path.c_str());
      return 2;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (sources) {
      const std::string ext = path.extension().string();
      const char selector = ext == ".tsx" ? '1' : (ext == ".js" || ext == ".mjs" || ext == ".jsx") ? '2' : '0';
      bytes.insert(bytes.begin(), selector);
    }
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::fprintf(stderr, "routeauth_fuzz_replay: %zu inputs, no invariant violated\n", inputs.size());
  return 0;
}
