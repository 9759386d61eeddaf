// Shared by the end-to-end tests: running the real binary in a temporary git repository.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace routeauth::testing::cli {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

inline int exit_status(int raw) { return raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1; }

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

inline bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// A fresh git repository in a temporary folder holding a copy of examples/brain-app.
class Sandbox {
 public:
  Sandbox() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-cli-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    if (exit_status(std::system(("git -C " + quote(root_.string()) + " init -q").c_str())) != 0) {
      throw std::runtime_error("git init failed");
    }
    fs::copy(fs::path(ROUTEAUTH_SOURCE_DIR) / "examples" / "brain-app", root_ / "brain-app",
             fs::copy_options::recursive);
  }
  ~Sandbox() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  [[nodiscard]] const fs::path& root() const { return root_; }
  [[nodiscard]] std::string path(const std::string& rel) const { return (root_ / rel).string(); }

  // Runs routeauth with `args` (already quoted) from the sandbox root.
  Result run(const std::string& args) const { return run_in(root_, args); }

  static Result run_in(const fs::path& cwd, const std::string& args) {
    // Its own file for stderr: tests run in parallel, several of them from the same folder.
    std::string err_pattern = (fs::temp_directory_path() / "routeauth-stderr-XXXXXX").string();
    const int err_fd = mkstemp(err_pattern.data());
    if (err_fd < 0) throw std::runtime_error("mkstemp failed");
    close(err_fd);
    const fs::path err_file = err_pattern;
    const std::string command = "cd " + quote(cwd.string()) + " && " + quote(ROUTEAUTH_BINARY) + " " + args +
                                " 2>" + quote(err_file.string());
    Result r;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("popen failed");
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) r.out.append(buffer, n);
    r.status = exit_status(pclose(pipe));
    r.err = slurp(err_file);
    fs::remove(err_file);
    return r;
  }

  // Every regular file under the copy (not .git), with its bytes.
  [[nodiscard]] std::map<std::string, std::string> snapshot() const {
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(root_ / "brain-app"); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_regular_file()) files[fs::relative(it->path(), root_).generic_string()] = slurp(it->path());
    }
    return files;
  }

  // `git apply <args>` of `patch` at the root; the exit status.
  int git_apply(const std::string& patch, const std::string& args = "") const {
    const fs::path file = root_ / ".routeauth.patch";
    spit(file, patch);
    const int status = exit_status(std::system(("cd " + quote(root_.string()) + " && git apply " + args + " " +
                                                quote(file.string()) + " >/dev/null 2>&1")
                                                   .c_str()));
    fs::remove(file);
    return status;
  }

 private:
  fs::path root_;
};

// A GET route that calls the backend and has nothing of the migration yet.
inline const char* const kUnmigratedGet =
    "export async function GET(request: Request) {\n"
    "  const res = await fetch(`${process.env.BRAIN_API_URL}/items`, { cache: 'no-store' })\n"
    "  return Response.json(await res.json())\n"
    "}\n";

// A scratch Next.js project in a temporary git repository (package.json with next and next-auth,
// tsconfig with the `@/*` alias), removed afterwards; `run` runs routeauth in it.
class ScratchProject {
 public:
  ScratchProject() {
    std::string pattern = (fs::temp_directory_path() / "routeauth-project-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    std::system(("git -C " + quote(root_.string()) + " init -q").c_str());
    write("package.json", R"({ "name": "app", "dependencies": { "next": "14.2.35", "next-auth": "4.24.15" } })");
    write("tsconfig.json", R"({ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } })");
  }
  ~ScratchProject() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root_ / rel).parent_path());
    spit(root_ / rel, text);
  }
  [[nodiscard]] std::string read(const std::string& rel) const { return slurp(root_ / rel); }
  [[nodiscard]] const fs::path& root() const { return root_; }
  [[nodiscard]] Result run(const std::string& args) const { return Sandbox::run_in(root_, args); }

 private:
  fs::path root_;
};

}  // namespace routeauth::testing::cli
