// Google Benchmark micro-benchmarks of routeauth's per-file stages, on generated route files of
// three sizes (about 2, 4 and 6 KB) and on a whole small corpus (the average file):
//
//   read         output::read_file
//   source       SourceFile construction (copy of the bytes, line index, BOM)
//   parse        Parser::parse (tree-sitter-typescript), tree freed
//   syntax_check first_syntax_error on the tree
//   style        detect_style (a walk of the whole tree)
//   model        build_route_model (one walk of the tree for imports, handlers, fetches, URLs; scopes)
//   diagnose     Worker::diagnose: the route model plus every rule
//   check        Worker::process(Mode::check): the whole check of one file, from its bytes
//   fix          Worker::process(Mode::fix): the whole fix, passes and verification included
//   diff         output::unified_diff of the original and the fixed text (libgit2)
//
// Every benchmark reports bytes/s of input (SetBytesProcessed). The files come from the corpus
// folder built next to this binary by bench/generate.py (ROUTEAUTH_BENCH_CORPUS at build time),
// or from the folder named by the environment variable ROUTEAUTH_BENCH_CORPUS.
//
//   build-bench/bench/routeauth_bench_stages --benchmark_min_time=0.2
//   build-bench/bench/routeauth_bench_stages --benchmark_filter='parse|model'
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/pipeline.h"
#include "engine/query.h"
#include "engine/route_model.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "output/diff.h"
#include "output/write.h"

namespace fs = std::filesystem;
using namespace routeauth;

namespace {

struct Sample {
  std::string path;     // absolute
  std::string display;  // relative to the corpus, for labels and diffs
  std::string bytes;
  std::string fixed;  // the text apply would write
};

std::string corpus_dir() {
  if (const char* env = std::getenv("ROUTEAUTH_BENCH_CORPUS"); env && *env) return env;
#ifdef ROUTEAUTH_BENCH_CORPUS
  return ROUTEAUTH_BENCH_CORPUS;
#else
  return {};
#endif
}

const engine::Config& config() {
  static const engine::Config c;
  return c;
}

// Every route file of the corpus, sorted by path, with its fixed text.
const std::vector<Sample>& corpus() {
  static const std::vector<Sample> all = [] {
    const std::string dir = corpus_dir();
    if (dir.empty() || !fs::is_directory(dir)) {
      throw std::runtime_error(fmt::format(
          "routeauth_bench_stages: no corpus folder ('{}'); set ROUTEAUTH_BENCH_CORPUS or run "
          "python3 bench/generate.py -n 50 -o DIR", dir));
    }
    std::vector<Sample> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().filename() == "route.ts") {
        Sample s;
        s.path = e.path().string();
        s.display = fs::relative(e.path(), dir).generic_string();
        s.bytes = output::read_file(s.path);
        out.push_back(std::move(s));
      }
    }
    std::sort(out.begin(), out.end(), [](const Sample& a, const Sample& b) { return a.path < b.path; });
    engine::Worker worker(config());
    for (auto& s : out) s.fixed = worker.process(s.path, s.bytes, engine::Mode::fix).result;
    if (out.empty()) throw std::runtime_error("routeauth_bench_stages: the corpus has no route.ts");
    return out;
  }();
  return all;
}

// The three files used per size: the changed file closest to 2, 4 and 6 KB.
const Sample& sized(int64_t which) {
  static const std::vector<const Sample*> picks = [] {
    std::vector<const Sample*> p;
    for (size_t want : {2200u, 4000u, 5900u}) {
      const Sample* best = nullptr;
      for (const auto& s : corpus()) {
        if (s.fixed == s.bytes) continue;  // only files with something to migrate
        auto d = [&](const Sample* x) {
          return x->bytes.size() > want ? x->bytes.size() - want : want - x->bytes.size();
        };
        if (!best || d(&s) < d(best)) best = &s;
      }
      p.push_back(best ? best : &corpus().front());
    }
    return p;
  }();
  return *picks.at(static_cast<size_t>(which));
}

void label(benchmark::State& state, const Sample& s) {
  state.SetLabel(fmt::format("{} ({} B)", s.display, s.bytes.size()));
}

void done(benchmark::State& state, size_t bytes_per_iteration) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes_per_iteration));
}

// ---- per file, by size ------------------------------------------------------------------------

void BM_read(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(output::read_file(s.path));
  label(state, s);
  done(state, s.bytes.size());
}

void BM_source(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  for (auto _ : state) {
    engine::SourceFile file(s.path, s.bytes);
    benchmark::DoNotOptimize(file);
  }
  label(state, s);
  done(state, s.bytes.size());
}

void BM_parse(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  const engine::SourceFile file(s.path, s.bytes);
  engine::Parser parser;
  for (auto _ : state) {
    engine::Tree tree = parser.parse(file);
    benchmark::DoNotOptimize(tree.root());
  }
  label(state, s);
  done(state, s.bytes.size());
}

void BM_syntax_check(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  const engine::SourceFile file(s.path, s.bytes);
  engine::Parser parser;
  const engine::Tree tree = parser.parse(file);
  for (auto _ : state) benchmark::DoNotOptimize(engine::first_syntax_error(tree.root()));
  label(state, s);
  done(state, s.bytes.size());
}

void BM_style(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  const engine::SourceFile file(s.path, s.bytes);
  engine::Parser parser;
  const engine::Tree tree = parser.parse(file);
  for (auto _ : state) benchmark::DoNotOptimize(engine::detect_style(file, tree.root()));
  label(state, s);
  done(state, s.bytes.size());
}

void BM_model(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  const engine::SourceFile file(s.path, s.bytes);
  engine::Parser parser;
  const engine::Tree tree = parser.parse(file);
  for (auto _ : state) {
    auto model = engine::build_route_model(file, tree.root(), config());
    benchmark::DoNotOptimize(model.handlers.data());
  }
  label(state, s);
  done(state, s.bytes.size());
}

void BM_diagnose(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  const engine::SourceFile file(s.path, s.bytes);
  engine::Worker worker(config());
  const engine::Tree tree = worker.parser().parse(file);
  for (auto _ : state) benchmark::DoNotOptimize(worker.diagnose(file, tree.root()));
  label(state, s);
  done(state, s.bytes.size());
}

void BM_check(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  engine::Worker worker(config());
  for (auto _ : state) benchmark::DoNotOptimize(worker.process(s.path, s.bytes, engine::Mode::check));
  label(state, s);
  done(state, s.bytes.size());
}

void BM_fix(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  engine::Worker worker(config());
  for (auto _ : state) benchmark::DoNotOptimize(worker.process(s.path, s.bytes, engine::Mode::fix));
  label(state, s);
  done(state, s.bytes.size());
}

void BM_diff(benchmark::State& state) {
  const Sample& s = sized(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(output::unified_diff(s.display, s.bytes, s.fixed));
  label(state, s);
  done(state, s.bytes.size());
}

// ---- the whole corpus per iteration: the average file ---------------------------------------------

size_t corpus_bytes() {
  size_t n = 0;
  for (const auto& s : corpus()) n += s.bytes.size();
  return n;
}

void corpus_label(benchmark::State& state) {
  state.SetLabel(fmt::format("{} files, {} B", corpus().size(), corpus_bytes()));
  done(state, corpus_bytes());
  state.counters["files/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(corpus().size()),
      benchmark::Counter::kIsRate);
}

void BM_corpus_parse(benchmark::State& state) {
  engine::Parser parser;
  std::vector<engine::SourceFile> files;
  for (const auto& s : corpus()) files.emplace_back(s.path, s.bytes);
  for (auto _ : state) {
    for (const auto& f : files) {
      engine::Tree tree = parser.parse(f);
      benchmark::DoNotOptimize(tree.root());
    }
  }
  corpus_label(state);
}

void BM_corpus_model(benchmark::State& state) {
  engine::Parser parser;
  std::vector<engine::SourceFile> files;
  for (const auto& s : corpus()) files.emplace_back(s.path, s.bytes);
  std::vector<engine::Tree> trees;
  for (const auto& f : files) trees.push_back(parser.parse(f));
  for (auto _ : state) {
    for (size_t i = 0; i < files.size(); ++i) {
      auto model = engine::build_route_model(files[i], trees[i].root(), config());
      benchmark::DoNotOptimize(model.handlers.data());
    }
  }
  corpus_label(state);
}

void BM_corpus_diagnose(benchmark::State& state) {
  engine::Worker worker(config());
  std::vector<engine::SourceFile> files;
  for (const auto& s : corpus()) files.emplace_back(s.path, s.bytes);
  std::vector<engine::Tree> trees;
  for (const auto& f : files) trees.push_back(worker.parser().parse(f));
  for (auto _ : state) {
    for (size_t i = 0; i < files.size(); ++i) {
      benchmark::DoNotOptimize(worker.diagnose(files[i], trees[i].root()));
    }
  }
  corpus_label(state);
}

void BM_corpus_check(benchmark::State& state) {
  engine::Worker worker(config());
  for (auto _ : state) {
    for (const auto& s : corpus()) {
      benchmark::DoNotOptimize(worker.process(s.path, s.bytes, engine::Mode::check));
    }
  }
  corpus_label(state);
}

void BM_corpus_fix(benchmark::State& state) {
  engine::Worker worker(config());
  for (auto _ : state) {
    for (const auto& s : corpus()) {
      benchmark::DoNotOptimize(worker.process(s.path, s.bytes, engine::Mode::fix));
    }
  }
  corpus_label(state);
}

void BM_corpus_diff(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& s : corpus()) {
      benchmark::DoNotOptimize(output::unified_diff(s.display, s.bytes, s.fixed));
    }
  }
  corpus_label(state);
}

// Arg 0, 1, 2: the ~2 KB, ~4 KB and ~6 KB file.
#define ROUTEAUTH_SIZED(fn) BENCHMARK(fn)->ArgName("size")->DenseRange(0, 2)->Unit(benchmark::kMicrosecond)
ROUTEAUTH_SIZED(BM_read);
ROUTEAUTH_SIZED(BM_source);
ROUTEAUTH_SIZED(BM_parse);
ROUTEAUTH_SIZED(BM_syntax_check);
ROUTEAUTH_SIZED(BM_style);
ROUTEAUTH_SIZED(BM_model);
ROUTEAUTH_SIZED(BM_diagnose);
ROUTEAUTH_SIZED(BM_check);
ROUTEAUTH_SIZED(BM_fix);
ROUTEAUTH_SIZED(BM_diff);
BENCHMARK(BM_corpus_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_corpus_model)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_corpus_diagnose)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_corpus_check)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_corpus_fix)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_corpus_diff)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  try {
    (void)corpus();  // fail early, with a message, when there is no corpus
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
