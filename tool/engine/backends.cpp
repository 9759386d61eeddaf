#include "engine/backends.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "engine/modules.h"
#include "engine/project.h"
#include "engine/route_model.h"
#include "engine/source.h"
#include "engine/syntax.h"
#include "engine/urls.h"

namespace fs = std::filesystem;

namespace routeauth::engine {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::vector<std::string> kOwnOrigin{"NEXTAUTH", "AUTH_URL", "VERCEL", "SITE_URL", "APP_URL", "PUBLIC_URL",
                                          "FRONTEND_URL", "CLIENT_URL", "WEBSITE_URL", "DEPLOYMENT_URL",
                                          "NEXT_PUBLIC_BASE_URL", "NEXT_PUBLIC_URL", "NEXT_PUBLIC_HOST",
                                          "NEXT_PUBLIC_DOMAIN"};
const std::vector<std::string> kThirdParty{
    "SUPABASE", "STRIPE", "OPENAI", "ANTHROPIC", "GOOGLE", "GEMINI", "GITHUB", "AUTH0", "CLERK", "FIREBASE",
    "SENTRY", "SLACK", "DISCORD", "TWILIO", "SENDGRID", "RESEND", "MAILGUN", "MAILCHIMP", "UPSTASH", "REDIS",
    "KV_REST", "POSTHOG", "ALGOLIA", "CONTENTFUL", "SANITY", "CLOUDINARY", "PINECONE", "HUGGINGFACE",
    "REPLICATE", "GROQ", "MISTRAL", "COHERE", "AZURE", "AWS_", "S3_", "OAUTH", "TOKEN_URL", "TOKEN_ENDPOINT",
    "ISSUER", "KEYCLOAK", "COGNITO", "OKTA", "WEBHOOK", "PAYPAL", "SHOPIFY", "NOTION", "AIRTABLE", "HUBSPOT",
    "MAPBOX", "TELEGRAM", "WHATSAPP", "LANGSMITH", "LANGCHAIN"};

}  // namespace

const std::vector<std::string>& default_not_backends() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v = kOwnOrigin;
    v.insert(v.end(), kThirdParty.begin(), kThirdParty.end());
    return v;
  }();
  return all;
}

std::string not_backend_reason(std::string_view name) {
  const std::string n = upper(name);
  for (const auto& s : kOwnOrigin) {
    if (n.find(s) != std::string::npos) return fmt::format("the app's own origin ({})", s);
  }
  for (const auto& s : kThirdParty) {
    if (n.find(s) != std::string::npos) return fmt::format("a third-party service ({})", s);
  }
  for (const char* suffix : {"KEY", "SECRET", "TOKEN", "PASSWORD", "_ID", "USERNAME"}) {
    if (n.ends_with(suffix)) return "a credential or an id, not a URL";
  }
  return {};
}

namespace {

// Specifier -> file, through the module resolver of the Next.js app holding the importing file
// (its nearest package.json / tsconfig.json / jsconfig.json: an app of a monorepo resolves its
// own `paths`), one resolver per app, built on first use.
class Resolver {
 public:
  // Whether the specifier may name a module of the project (relative, or an alias-like `@/`,
  // `~/`, `#` prefix) rather than a package; `resolve` says whether it is in the tree.
  [[nodiscard]] static bool own(std::string_view spec) {
    return is_relative_specifier(spec) || spec.starts_with("@/") || spec.starts_with("~/") || spec.starts_with("#");
  }

  [[nodiscard]] std::optional<fs::path> resolve(const fs::path& from, const std::string& spec) {
    if (auto file = app(from).resolve(from.string(), spec)) return fs::path(*file);
    return std::nullopt;
  }

  // The resolver of the app holding `file`.
  const ModuleResolver& app(const fs::path& file) {
    const std::string folder = file.parent_path().string();
    auto it = by_folder_.find(folder);
    if (it == by_folder_.end()) {
      const std::string root = project_root(folder);
      auto& resolver = by_root_[root];
      if (!resolver) resolver = std::make_unique<ModuleResolver>(root);
      it = by_folder_.emplace(folder, resolver.get()).first;
    }
    return *it->second;
  }

 private:
  std::map<std::string, std::unique_ptr<ModuleResolver>> by_root_;
  std::map<std::string, const ModuleResolver*> by_folder_;
};

// What an exported (or module-level) name of a module is, as far as backend URLs go.
struct Origin {
  enum Kind { none, value, function, env_object } kind = none;
  std::string env;       // the env var it derives from
  std::string where;     // the module it was found in (relative to the project)
  std::string rejected;  // why its env var is no backend, when it derives from such a one only
  std::string local;     // or the local server it names (http://127.0.0.1:8000), when no env var
};

// Parsed modules of the project, read once per run, and what their names derive from.
class ModuleIndex {
 public:
  explicit ModuleIndex(const std::string& root) : root_(root) {}

  [[nodiscard]] Resolver& resolver() { return resolver_; }

  // The route being read, already parsed by the caller: its own names are looked up in this
  // parse instead of a second one. Returns whether it was lent (false when the index holds the
  // file already, or it is larger than a module the index reads); a lent file is forgotten with
  // `give_back` before its tree goes away (what was learnt from it stays cached).
  bool lend(const fs::path& file, const SourceFile& source, const Tree& tree) {
    const std::string key = file.string();
    if (!tree || source.text().size() >= kMaxModuleBytes || modules_.contains(key)) return false;
    auto m = std::make_unique<Module>();
    m->source = &source;
    m->root = tree.root();
    modules_[key] = std::move(m);
    return true;
  }
  void give_back(const fs::path& file) { modules_.erase(file.string()); }

  // How many modules the index parsed itself (the work it adds to the routes' own parses).
  [[nodiscard]] size_t parsed() const { return parsed_; }

  // What `name` exported by (or declared in) `file` is.
  Origin classify(const fs::path& file, const std::string& name, int depth = 0) {
    if (depth > 4) return {};
    const std::string key = file.string() + "#" + name;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    cache_[key] = {};  // cycles end here
    Origin out = classify_uncached(file, name, depth);
    cache_[key] = out;
    return out;
  }

 private:
  // A module's text and tree: parsed here and owned, or lent by the caller (the route being read).
  struct Module {
    std::unique_ptr<SourceFile> owned_source;
    Tree owned_tree;
    const SourceFile* source = nullptr;
    TSNode root{};
  };
  static constexpr size_t kMaxModuleBytes = 2u << 20;

  Module* module(const fs::path& file) {
    const std::string key = file.string();
    if (auto it = modules_.find(key); it != modules_.end()) return it->second.get();
    auto m = std::make_unique<Module>();
    if (auto text = read_text(file); text && text->size() < kMaxModuleBytes) {
      m->owned_source = std::make_unique<SourceFile>(key, std::move(*text));
      m->owned_tree = parser_.parse(*m->owned_source);
      m->source = m->owned_source.get();
      if (m->owned_tree) m->root = m->owned_tree.root();
      ++parsed_;
    }
    return (modules_[key] = std::move(m)).get();
  }

  std::string relative(const fs::path& file) const { return file.lexically_relative(root_).generic_string(); }

  // Where `name` of `file` is defined: the function's body or the variable's value, in the module
  // that declares it, following exports, re-exports and the module's own imports of the project.
  struct Definition {
    fs::path file;
    TSNode node{};       // function body, or the declarator's value
    bool function = false;  // a function declaration, or a variable holding a function
  };
  std::optional<Definition> locate(const fs::path& file, const std::string& name, int depth) {
    if (depth > 4) return std::nullopt;
    Module* m = module(file);
    if (!m->source || ts_node_is_null(m->root)) return std::nullopt;
    const SourceFile& src = *m->source;
    std::optional<Definition> found;
    bool done = false;
    for_each_named_child(m->root, [&](TSNode statement) {
      if (done) return;
      TSNode declaration = statement;
      if (is(statement, "export_statement")) {
        const TSNode source = field(statement, "source");
        const TSNode decl = field(statement, "declaration");
        if (!ts_node_is_null(decl)) {
          declaration = decl;
        } else {
          // export { a as name } [from '...'], export * from '...'
          const TSNode clause = find_named_child(statement, [](TSNode c) { return is(c, "export_clause") ? c : TSNode{}; });
          if (ts_node_is_null(clause)) {
            if (!ts_node_is_null(source)) {
              if (auto target = resolve_string(file, source)) {
                if ((found = locate(*target, name, depth + 1))) done = true;
              }
            }
            return;
          }
          for_each_named_child(clause, [&](TSNode spec) {
            if (done || !is(spec, "export_specifier")) return;
            const TSNode local = field(spec, "name");
            const TSNode alias = field(spec, "alias");
            if (text(src, ts_node_is_null(alias) ? local : alias) != name) return;
            const std::string original(text(src, local));
            if (!ts_node_is_null(source)) {
              if (auto target = resolve_string(file, source)) found = locate(*target, original, depth + 1);
            } else if (original != name) {
              found = locate(file, original, depth + 1);
            }
            done = found.has_value();
          });
          return;
        }
      }
      const std::string_view dk = type(declaration);
      if (dk == "function_declaration" || dk == "generator_function_declaration") {
        if (text(src, field(declaration, "name")) != name) return;
        found = Definition{file, field(declaration, "body"), true};
        done = true;
      } else if (dk == "lexical_declaration" || dk == "variable_declaration") {
        for_each_named_child(declaration, [&](TSNode d) {
          if (done || !is(d, "variable_declarator") || text(src, field(d, "name")) != name) return;
          done = true;
          const TSNode value = field(d, "value");
          if (ts_node_is_null(value)) return;
          const std::string_view vk = type(value);
          found = Definition{file, value, vk == "arrow_function" || vk == "function_expression" || vk == "function"};
        });
      } else if (dk == "import_statement") {
        const TSNode source = field(declaration, "source");
        walk_named(declaration, [&](TSNode n) {
          if (done) return false;
          if (is(n, "import_specifier")) {
            const TSNode alias = field(n, "alias");
            const TSNode orig = field(n, "name");
            if (text(src, ts_node_is_null(alias) ? orig : alias) == name) {
              if (auto target = resolve_string(file, source)) found = locate(*target, std::string(text(src, orig)), depth + 1);
              done = true;
            }
          } else if (is(n, "import_clause")) {
            // import name from '...': the module's default export, when it is a named function
            const TSNode first = ts_node_named_child(n, 0);
            if (is(first, "identifier") && text(src, first) == name) {
              if (auto target = resolve_string(file, source)) found = locate(*target, "default", depth + 1);
              done = true;
            }
          }
          return true;
        });
      }
      if (!done && name == "default" && is(statement, "export_statement")) {
        // export default function name(...) { } / export default async (...) => { }
        const TSNode value = field(statement, "value");
        if (!ts_node_is_null(declaration) && is(declaration, "function_declaration")) {
          found = Definition{file, field(declaration, "body"), true};
          done = true;
        } else if (!ts_node_is_null(value)) {
          const std::string_view vk = type(value);
          if (vk == "arrow_function" || vk == "function_expression" || vk == "function") {
            found = Definition{file, value, true};
            done = true;
          } else if (is(value, "identifier")) {
            found = locate(file, std::string(text(src, value)), depth + 1);
            done = found.has_value();
          }
        }
      }
    });
    return found;
  }

  Origin classify_uncached(const fs::path& file, const std::string& name, int depth) {
    const auto def = locate(file, name, depth);
    if (!def) return {};
    const SourceFile& src = *module(def->file)->source;
    Origin found = derive(def->file, src, def->node, depth);
    if (found.kind == Origin::none) return found;
    const std::string_view vk = type(def->node);
    if (def->function) {
      found.kind = Origin::function;
    } else if (vk == "object") {
      found.kind = Origin::env_object;
    } else if (vk == "call_expression") {
      // createEnv({ server: ..., runtimeEnv: { API_URL: process.env.API_URL } }), schema.parse(process.env)
      const std::string_view callee = text(src, field(def->node, "function"));
      if (callee.find("Env") != std::string_view::npos || callee.find("env") != std::string_view::npos ||
          callee.ends_with(".parse")) {
        found.kind = Origin::env_object;
      }
    }
    return found;
  }

 public:
  // Whether the function `name` of `file` sends an HTTP request: its body calls fetch or axios,
  // or a function of the project that does (a few hops). A backend wrapper, when what it sends
  // is a backend URL.
  bool fetches(const fs::path& file, const std::string& name, int depth = 0) {
    if (depth > 3) return false;
    const std::string key = file.string() + "#" + name;
    if (auto it = fetches_.find(key); it != fetches_.end()) return it->second;
    fetches_[key] = false;  // cycles end here
    const auto def = locate(file, name, depth);
    if (!def || !def->function) return false;
    const SourceFile& src = *module(def->file)->source;
    bool found = false;
    walk_named(def->node, [&](TSNode n) {
      if (found) return false;
      if (!is(n, "call_expression")) return true;
      const TSNode callee = field(n, "function");
      const std::string_view c = text(src, callee);
      if (c == "fetch" || c == "axios" || c.starts_with("axios.") || c == "globalThis.fetch") {
        found = true;
      } else if (is(callee, "identifier") && fetches(def->file, std::string(c), depth + 1)) {
        found = true;
      }
      return !found;
    });
    return fetches_[key] = found;
  }

 private:
  std::optional<fs::path> resolve_string(const fs::path& from, TSNode string) {
    if (ts_node_is_null(string)) return std::nullopt;
    const Module* m = modules_.at(from.string()).get();
    const std::string spec(string_content(*m->source, string));
    if (!Resolver::own(spec)) return std::nullopt;
    return resolver_.resolve(from, spec);
  }

  // Whether `node` (a value or a function body of `file`) derives from a server-side env var,
  // directly or through the module's own names and imports; failing that, the local server a
  // URL literal in it names.
  Origin derive(const fs::path& file, const SourceFile& src, TSNode node, int depth) {
    Origin out;
    std::string rejected, local;
    walk_named(node, [&](TSNode n) {
      if (out.kind != Origin::none) return false;
      if (is(n, "string") || is(n, "template_string")) {
        if (const auto head = url_literal_head(src, n); head && local.empty()) {
          if (auto origin = local_server_origin(*head)) local = *origin;
        }
      }
      if (is(n, "member_expression")) {
        const std::string_view t = text(src, n);
        if (t.starts_with("process.env.")) {
          const std::string env(t.substr(12));
          if (auto why = not_backend_reason(env); !why.empty()) {
            if (rejected.empty()) rejected = fmt::format("process.env.{}: {}", env, why);
          } else {
            out = Origin{Origin::value, env, relative(file), {}, {}};
          }
          return false;
        }
      } else if (is(n, "identifier") && depth < 4) {
        const std::string id(text(src, n));
        const TSNode parent = ts_node_parent(n);
        if (!ts_node_is_null(parent) && is(parent, "member_expression") && ts_node_eq(field(parent, "property"), n)) return true;
        if (Origin o = classify(file, id, depth + 1); o.kind != Origin::none) {
          out = o;
          out.kind = Origin::value;
          return false;
        }
      }
      return true;
    });
    if (out.kind == Origin::none && !local.empty()) out = Origin{Origin::value, {}, relative(file), {}, local};
    if (out.kind == Origin::none) out.rejected = rejected;
    return out;
  }

  fs::path root_;
  Resolver resolver_;
  Parser parser_;
  std::map<std::string, std::unique_ptr<Module>> modules_;
  size_t parsed_ = 0;
  std::map<std::string, Origin> cache_;
  std::map<std::string, bool> fetches_;
};

// The port the Next.js app at `app` serves on: `-p N` / `--port N` of `next dev` or `next start`
// in its package.json scripts, else Next's default, 3000. A local-server URL on it is the app's
// own origin, not a backend.
int app_port(const std::string& app) {
  static const std::regex port(R"(\bnext\s+(?:dev|start)\b[^&|;]*?(?:-p|--port)[ =](\d+))");
  const auto text = read_text(fs::path(app) / "package.json");
  if (!text) return 3000;
  try {
    const auto doc = nlohmann::json::parse(*text);
    if (doc.is_object() && doc.contains("scripts") && doc["scripts"].is_object()) {
      for (const auto& [name, script] : doc["scripts"].items()) {
        if (!script.is_string()) continue;
        const std::string command = script.get<std::string>();
        std::smatch m;
        if (std::regex_search(command, m, port)) return std::stoi(m[1]);
      }
    }
  } catch (const std::exception&) {
  }
  return 3000;
}

// How a candidate's origin is told in init's comments and the inference line.
std::string told(const Origin& o, bool function) {
  if (o.env.empty()) return fmt::format("{}a local server ({}) in {}", function ? "calls " : "", o.local, o.where);
  return fmt::format("{}process.env.{} in {}", function ? "builds on " : "", o.env, o.where);
}

struct Candidate {
  std::string evidence;
  std::string rejected;
  bool weak = false;
  bool literal = false;  // a local server's URL literal in the route: weaker than a name
};

bool looks_like_url_name(std::string_view name) {
  const std::string n = upper(name);
  for (const char* s : {"URL", "URI", "ENDPOINT", "BASE", "HOST", "API", "ORIGIN", "SERVER", "BACKEND"}) {
    if (n.find(s) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

BackendInference infer_backends(const std::string& project, const std::vector<std::string>& route_files,
                                const Config& config) {
  BackendInference result;
  ModuleIndex index(project);
  Parser parser;
  struct Tally {
    InferredBackend b;
    std::set<std::string> files;
  };
  std::map<std::string, Tally> accepted;
  std::map<std::string, RejectedBackend> rejected;
  std::map<std::string, BackendWrapper> wrappers;  // by the name routes import it under
  struct WrapperTally {
    size_t calls = 0;
    std::string first;
    std::set<std::string> files;
  };
  std::map<std::string, WrapperTally> wrapper_calls;
  for (const auto& path : route_files) {
    auto bytes = read_text(path);
    if (!bytes || bytes->size() > config.max_file_bytes) continue;
    SourceFile file(path, std::move(*bytes));
    const Tree tree = parser.parse(file);
    if (!tree) continue;
    ++result.route_files;
    const fs::path here = fs::path(path).lexically_normal();
    const std::string shown = fs::path(path).lexically_relative(project).generic_string();
    // The route's own names (module_names below) are looked up in this parse, lent to the index
    // for the iteration and given back before `tree` goes.
    struct Lent {
      ModuleIndex& index;
      const fs::path& file;
      bool lent;
      ~Lent() {
        if (lent) index.give_back(file);
      }
    } lent{index, here, index.lend(here, file, tree)};
    std::map<std::string, Candidate> candidates;
    // Env vars read in the file itself; the route model follows the file's own variables to them.
    walk_named(tree.root(), [&](TSNode n) {
      if (is(n, "member_expression")) {
        const std::string_view t = text(file, n);
        if (t.starts_with("process.env.") && t.find_first_of(".[", 12) == std::string_view::npos) {
          const std::string env(t.substr(12));
          candidates.emplace("process.env." + env, Candidate{"read in the route", not_backend_reason(env), false});
          return false;
        }
      }
      return true;
    });
    // A server of the project's own named by a URL literal: a backend, unless it is the app's port.
    const int port = app_port(project_root(here.parent_path().string()));
    auto own_origin = [&](const Origin& o) -> std::string {
      if (o.local.empty() || origin_port(o.local) != port) return {};
      return fmt::format("the app's own origin (port {})", port);
    };
    walk_named(tree.root(), [&](TSNode n) {
      if (!is(n, "string") && !is(n, "template_string")) return true;
      if (const auto head = url_literal_head(file, n)) {
        if (auto origin = local_server_origin(*head)) {
          const Origin o{Origin::value, {}, shown, {}, *origin};
          candidates.emplace(*origin, Candidate{"a local server named in the route", own_origin(o), false, true});
        }
      }
      return false;
    });
    Config probe = config;
    probe.backend_bases.clear();
    const RouteFile plain = build_route_model(file, tree.root(), probe);
    // The file's own URL-building functions, and what it imports from the project.
    for (const auto& name : plain.module_names) {
      const Origin o = index.classify(here, name);
      if (o.kind == Origin::function) {
        candidates.emplace(name + "()", Candidate{told(o, true), own_origin(o), false});
      }
    }
    bool imports_wrapper = false;
    for (const auto& import : plain.imports) {
      if (import.type_only) continue;
      const auto target = index.resolver().resolve(here, import.source);
      if (!target && !Resolver::own(import.source)) continue;  // a package
      std::vector<ImportedName> names = import.named;
      if (import.default_name) names.push_back(ImportedName{"default", *import.default_name, {}});
      for (const auto& named : names) {
        if (target && index.fetches(*target, named.name)) {
          // A wrapper: it sends the request itself. Its own URL when it builds one from a backend
          // base, else whatever URL its callers hand it.
          const Origin o = index.classify(*target, named.name);
          const std::string name = named.name == "default" ? named.local : named.name;
          auto& w = wrappers[name];
          w.name = name;
          imports_wrapper = true;
          w.module = fs::path(*target).lexically_relative(project).generic_string();
          w.url = o.kind == Origin::function && own_origin(o).empty() ? "own" : "argument";
          continue;
        }
        if (!target) {
          if (!looks_like_url_name(named.local)) continue;
          const std::string why = fmt::format("imported from {}, which is not in the tree: judged by its name only", import.source);
          candidates.emplace(named.local, Candidate{why, "", true});
          candidates.emplace(named.local + "()", Candidate{why, "", true});
          continue;
        }
        const Origin o = index.classify(*target, named.name);
        const std::string from = fs::path(*target).lexically_relative(project).generic_string();
        if (o.kind == Origin::value) {
          candidates.emplace(named.local, Candidate{told(o, false), own_origin(o), false});
        } else if (o.kind == Origin::function) {
          candidates.emplace(named.local + "()", Candidate{told(o, true), own_origin(o), false});
        } else if (o.kind == Origin::env_object) {
          walk_named(tree.root(), [&](TSNode n) {
            if (!is(n, "member_expression")) return true;
            if (text(file, field(n, "object")) != named.local) return true;
            const std::string prop(text(file, field(n, "property")));
            candidates.emplace(named.local + "." + prop,
                               Candidate{fmt::format("the env module {}", from), not_backend_reason(prop), false});
            return false;
          });
        } else if (!o.rejected.empty()) {
          candidates.emplace(named.local, Candidate{from, o.rejected, false});
          candidates.emplace(named.local + "()", Candidate{from, o.rejected, false});
        }
      }
    }
    if (candidates.empty() && !imports_wrapper) {
      for (const auto& h : plain.handlers) result.fetches += h.fetches.size();
      continue;
    }
    // Bases read off the code first; a local server's literal only for the requests none of them
    // explains (`process.env.API_URL || 'http://localhost:8000'` is the env var's backend).
    std::set<uint32_t> unexplained;
    auto count = [&](TSNode call, const std::string& base, bool second) {
      const uint32_t at = ts_node_start_byte(call);
      if (second && !unexplained.contains(at)) return;
      if (!second) ++result.fetches;
      if (base.empty()) {
        if (!second) unexplained.insert(at);
        return;
      }
      auto it = candidates.find(base);
      if (it == candidates.end()) return;
      if (!it->second.rejected.empty()) {
        auto& r = rejected[base];
        r.base = base;
        r.why = it->second.rejected;
        ++r.fetches;
        return;
      }
      auto& t = accepted[base];
      if (t.b.base.empty()) {
        t.b.base = base;
        t.b.first = fmt::format("{}:{}", shown, file.position(at).line);
        t.b.evidence = it->second.evidence;
        t.b.weak = it->second.weak;
      }
      ++t.b.fetches;
      t.files.insert(shown);
    };
    std::set<uint32_t> wrapped;  // wrapper calls counted
    for (const bool second : {false, true}) {
      Config classify = config;
      classify.backend_bases.clear();
      for (const auto& [base, c] : candidates) {
        if (c.literal == second) classify.backend_bases.push_back(base);
      }
      if (second && (classify.backend_bases.empty() || unexplained.empty())) break;
      for (const auto& [name, w] : wrappers) classify.wrappers.push_back(w);
      const RouteFile model = build_route_model(file, tree.root(), classify);
      for (const auto& h : model.handlers) {
        for (const auto& f : h.fetches) count(f.call, f.base, second);
        for (const auto& w : h.wrapper_calls) {
          const uint32_t at = ts_node_start_byte(w.call);
          if (!wrapped.insert(at).second) continue;
          auto& t = wrapper_calls[w.wrapper->name];
          if (t.first.empty()) t.first = fmt::format("{}:{}", shown, file.position(at).line);
          ++t.calls;
          t.files.insert(shown);
          if (!w.base.empty()) count(w.call, w.base, second);
        }
      }
      for (const auto& f : model.other_backend_fetches) count(f.call, f.base, second);
    }
  }
  result.modules_parsed = index.parsed();
  for (auto& [name, t] : wrapper_calls) {
    result.wrappers.push_back(InferredWrapper{wrappers.at(name), t.calls, t.files.size(), t.first});
  }
  std::stable_sort(result.wrappers.begin(), result.wrappers.end(),
                   [](const InferredWrapper& a, const InferredWrapper& b) { return a.calls > b.calls; });
  for (auto& [base, t] : accepted) {
    t.b.files = t.files.size();
    result.accepted.push_back(t.b);
  }
  std::stable_sort(result.accepted.begin(), result.accepted.end(),
                   [](const InferredBackend& a, const InferredBackend& b) { return a.fetches > b.fetches; });
  for (auto& [base, r] : rejected) result.rejected.push_back(r);
  return result;
}

std::string describe_inferred(const BackendInference& inference) {
  std::string out;
  for (size_t i = 0; i < inference.accepted.size(); ++i) {
    const auto& b = inference.accepted[i];
    if (i == 0) {
      out += fmt::format("{} ({} fetch{} in {} file{})", b.base, b.fetches, b.fetches == 1 ? "" : "es", b.files,
                         b.files == 1 ? "" : "s");
    } else {
      out += fmt::format(", {} ({} in {})", b.base, b.fetches, b.files);
    }
    if (b.weak) out += " [weak evidence: its module is not in the tree]";
  }
  return out;
}

std::string describe_wrappers(const BackendInference& inference) {
  std::string out;
  for (const auto& w : inference.wrappers) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({}{} call{} in {} file{})", w.wrapper.name, w.wrapper.module.empty() ? "" : w.wrapper.module + ": ",
                       w.calls, w.calls == 1 ? "" : "s", w.files, w.files == 1 ? "" : "s");
  }
  return out;
}

}  // namespace routeauth::engine
