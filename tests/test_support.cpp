#include "test_support.h"

#include <fmt/format.h>

namespace routeauth::testing {

std::string findings_text(const engine::Outcome& outcome) {
  const engine::SourceFile file(outcome.path, outcome.original);
  std::string out;
  for (const auto& f : outcome.findings) {
    const auto pos = file.position(f.offset);
    out += fmt::format("{}:{}: error: {} [{}]\n", pos.line, pos.column, f.message, f.rule);
  }
  return out;
}

engine::Outcome fix(const std::string& name, const std::string& text, const engine::Config& config) {
  engine::Worker worker(config);
  return worker.process(name, text, engine::Mode::fix);
}

engine::Outcome check(const std::string& name, const std::string& text, const engine::Config& config) {
  engine::Worker worker(config);
  return worker.process(name, text, engine::Mode::check);
}

}  // namespace routeauth::testing
