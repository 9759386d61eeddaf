// libgit2, loaded on first use instead of at every start: routeauth links no libgit2, and each
// libgit2 function it calls is defined here as a forwarder to the real one, found with dlsym
// in the library dlopen()ed the first time any of them is called. Loading libgit2 with its
// dependency chain (OpenSSL, Kerberos, libssh2, mbedTLS) costs about 2 ms of every start
// (2026-12-02, README, Benchmarks), which a pre-commit check of named files, that never touches
// git, has no use for. The signatures are git2.h's own: a forwarder that disagrees with its
// declaration there does not compile.
#include <dlfcn.h>
#include <git2.h>

#include <string>

#include <fmt/format.h>

#include "engine/git_repo.h"

namespace routeauth::engine {

namespace {

void* library() {
  // Loaded once; a failure is remembered whole (dlerror() tells it only once) and thrown again by
  // every later call.
  struct Loaded {
    void* handle = nullptr;
    std::string error;
  };
  static const Loaded loaded = [] {
    Loaded l;
    l.handle = ::dlopen(ROUTEAUTH_LIBGIT2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (l.handle == nullptr) {
      const char* why = ::dlerror();
      // One line that names what needs libgit2 and how to get it: the self-contained binary
      // (README, Install) runs on machines without it, where only these features are missing.
      l.error = fmt::format("cannot load {} ({}): diff output, .gitignore rules in a git repository and --staged "
                            "need libgit2; install it (Debian 12: apt-get install libgit2-1.5)",
                            ROUTEAUTH_LIBGIT2_SONAME, why ? why : "not found");
    }
    return l;
  }();
  if (loaded.handle == nullptr) throw GitError(loaded.error);
  return loaded.handle;
}

template <typename F>
F resolve(const char* name) {
  void* found = ::dlsym(library(), name);
  if (found == nullptr) {
    throw GitError(fmt::format("{} has no {}; routeauth was built against another libgit2 version, so rebuild it",
                               ROUTEAUTH_LIBGIT2_SONAME, name));
  }
  return reinterpret_cast<F>(found);
}

}  // namespace

}  // namespace routeauth::engine

// One forwarder per function routeauth (and its tests) call: ROUTEAUTH_GIT(return type, name,
// (parameters), (arguments)). The real function is looked up once, on the first call.
#define ROUTEAUTH_GIT(ret, name, params, args)                                                       \
  extern "C" ret name params {                                                                       \
    static const auto real = routeauth::engine::resolve<decltype(&::name)>(#name);                  \
    return real args;                                                                                \
  }

ROUTEAUTH_GIT(void, git_blob_free, (git_blob *blob), (blob))
ROUTEAUTH_GIT(int, git_blob_lookup, (git_blob **blob, git_repository *repo, const git_oid *id), (blob, repo, id))
ROUTEAUTH_GIT(const void *, git_blob_rawcontent, (const git_blob *blob), (blob))
ROUTEAUTH_GIT(git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob))
ROUTEAUTH_GIT(void, git_buf_dispose, (git_buf *buffer), (buffer))
ROUTEAUTH_GIT(void, git_config_free, (git_config *cfg), (cfg))
ROUTEAUTH_GIT(int, git_config_get_path, (git_buf *out, const git_config *cfg, const char *name), (out, cfg, name))
ROUTEAUTH_GIT(void, git_diff_free, (git_diff *diff), (diff))
ROUTEAUTH_GIT(const git_diff_delta *, git_diff_get_delta, (const git_diff *diff, size_t idx), (diff, idx))
ROUTEAUTH_GIT(size_t, git_diff_num_deltas, (const git_diff *diff), (diff))
ROUTEAUTH_GIT(int, git_diff_tree_to_index, (git_diff **diff, git_repository *repo, git_tree *old_tree, git_index *index, const git_diff_options *opts), (diff, repo, old_tree, index, opts))
ROUTEAUTH_GIT(void, git_error_clear, (void), ())
ROUTEAUTH_GIT(const git_error *, git_error_last, (void), ())
ROUTEAUTH_GIT(int, git_ignore_path_is_ignored, (int *ignored, git_repository *repo, const char *path), (ignored, repo, path))
ROUTEAUTH_GIT(void, git_index_conflict_iterator_free, (git_index_conflict_iterator *iterator), (iterator))
ROUTEAUTH_GIT(int, git_index_conflict_iterator_new, (git_index_conflict_iterator **iterator_out, git_index *index), (iterator_out, index))
ROUTEAUTH_GIT(int, git_index_conflict_next, (const git_index_entry **ancestor_out, const git_index_entry **our_out, const git_index_entry **their_out, git_index_conflict_iterator *iterator), (ancestor_out, our_out, their_out, iterator))
ROUTEAUTH_GIT(int, git_index_find_prefix, (size_t *at_pos, git_index *index, const char *prefix), (at_pos, index, prefix))
ROUTEAUTH_GIT(void, git_index_free, (git_index *index), (index))
ROUTEAUTH_GIT(const git_index_entry *, git_index_get_bypath, (git_index *index, const char *path, int stage), (index, path, stage))
ROUTEAUTH_GIT(int, git_index_has_conflicts, (const git_index *index), (index))
ROUTEAUTH_GIT(int, git_libgit2_init, (void), ())
ROUTEAUTH_GIT(int, git_libgit2_shutdown, (void), ())
ROUTEAUTH_GIT(void, git_object_free, (git_object *object), (object))
ROUTEAUTH_GIT(int, git_oid_fromstr, (git_oid *out, const char *str), (out, str))
ROUTEAUTH_GIT(char *, git_oid_tostr, (char *out, size_t n, const git_oid *id), (out, n, id))
ROUTEAUTH_GIT(void, git_patch_free, (git_patch *patch), (patch))
ROUTEAUTH_GIT(int, git_patch_from_buffers, (git_patch **out, const void *old_buffer, size_t old_len, const char *old_as_path, const void *new_buffer, size_t new_len, const char *new_as_path, const git_diff_options *opts), (out, old_buffer, old_len, old_as_path, new_buffer, new_len, new_as_path, opts))
ROUTEAUTH_GIT(int, git_patch_line_stats, (size_t *total_context, size_t *total_additions, size_t *total_deletions, const git_patch *patch), (total_context, total_additions, total_deletions, patch))
ROUTEAUTH_GIT(int, git_patch_to_buf, (git_buf *out, git_patch *patch), (out, patch))
ROUTEAUTH_GIT(void, git_pathspec_free, (git_pathspec *ps), (ps))
ROUTEAUTH_GIT(int, git_pathspec_matches_path, (const git_pathspec *ps, uint32_t flags, const char *path), (ps, flags, path))
ROUTEAUTH_GIT(int, git_pathspec_new, (git_pathspec **out, const git_strarray *pathspec), (out, pathspec))
ROUTEAUTH_GIT(const char *, git_repository_commondir, (const git_repository *repo), (repo))
ROUTEAUTH_GIT(int, git_repository_config_snapshot, (git_config **out, git_repository *repo), (out, repo))
ROUTEAUTH_GIT(void, git_repository_free, (git_repository *repo), (repo))
ROUTEAUTH_GIT(int, git_repository_index, (git_index **out, git_repository *repo), (out, repo))
ROUTEAUTH_GIT(int, git_repository_open_ext, (git_repository **out, const char *path, unsigned int flags, const char *ceiling_dirs), (out, path, flags, ceiling_dirs))
ROUTEAUTH_GIT(const char *, git_repository_path, (const git_repository *repo), (repo))
ROUTEAUTH_GIT(const char *, git_repository_workdir, (const git_repository *repo), (repo))
ROUTEAUTH_GIT(int, git_revparse_single, (git_object **out, git_repository *repo, const char *spec), (out, repo, spec))
ROUTEAUTH_GIT(int, git_tree_entry_bypath, (git_tree_entry **out, const git_tree *root, const char *path), (out, root, path))
ROUTEAUTH_GIT(void, git_tree_entry_free, (git_tree_entry *entry), (entry))
ROUTEAUTH_GIT(void, git_tree_free, (git_tree *tree), (tree))
