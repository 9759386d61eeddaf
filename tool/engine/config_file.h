// routeauth.json (or the "routeauth" key of package.json): the repository's settings, found by
// walking up from the paths a run is given. Comments are allowed (it is JSONC, like tsconfig).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.h"

namespace routeauth::engine {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Which files a run takes, beside the rules' settings.
struct Selection {
  std::vector<std::string> include;  // gitignore-style globs, relative to the repository root
  std::vector<std::string> exclude;
};

struct LoadedConfig {
  std::string path;  // the file it came from ("" for the defaults)
  std::string root;  // the folder holding it: globs are relative to it
  bool sets_auth_options_module = false;
  bool sets_auth_module = false;
};

// The nearest routeauth.json, or package.json with a "routeauth" key, in `start` or above it.
[[nodiscard]] std::optional<std::string> find_config(const std::string& start);

// Reads a config file into `config` and `selection`. Unknown keys and wrong types are errors
// that name the key and the file.
LoadedConfig load_config(const std::string& path, Config& config, Selection& selection);

// A size for maxFileSize / --max-file-size: bytes, or a number with a unit (K, KB, KiB, M, MB,
// MiB: all binary, 1K = 1024 bytes), from 1 byte to Config::kMaxFileBytesCeiling; nullopt when
// it is none of these.
[[nodiscard]] std::optional<uint64_t> parse_size(std::string_view text);

// The keys a config file may hold, with what each means (for `init` and the README).
struct ConfigKey {
  const char* name;
  const char* type;
  const char* meaning;
};
[[nodiscard]] const std::vector<ConfigKey>& config_keys();

}  // namespace routeauth::engine
