# Fetches the tree-sitter-typescript grammar with `npm pack` at a pinned version, verifies its
# integrity (the registry's sha512), unpacks it into the build tree and defines the static
# library `routeauth_grammar` (TypeScript and TSX parsers and scanners). Nothing is committed:
# the tarball lives in the build directory and npm's own cache.

set(ROUTEAUTH_GRAMMAR_VERSION "0.23.2")
# npm's dist.integrity for tree-sitter-typescript@0.23.2, as hex:
# sha512-e04JUUKxTT53/x3Uq1zIL45DoYKVfHH4CZqwgZhPg5qYROl5nQjV+85ruFzFGZxu+QeFVbRTPDRnqL9UbU4VeA==
set(ROUTEAUTH_GRAMMAR_SHA512
    "7b4e095142b14d3e77ff1dd4ab5cc82f8e43a182957c71f8099ab081984f839a9844e9799d08d5fbce6bb85cc5199c6ef9078555b4533c3467a8bf546d4e1578")

set(_grammar_dir "${CMAKE_BINARY_DIR}/_deps/tree-sitter-typescript")
set(_tarball "${_grammar_dir}/tree-sitter-typescript-${ROUTEAUTH_GRAMMAR_VERSION}.tgz")

function(_routeauth_tarball_ok out)
  set(${out} FALSE PARENT_SCOPE)
  if(EXISTS "${_tarball}")
    file(SHA512 "${_tarball}" _have)
    if(_have STREQUAL ROUTEAUTH_GRAMMAR_SHA512)
      set(${out} TRUE PARENT_SCOPE)
    endif()
  endif()
endfunction()

_routeauth_tarball_ok(_ok)
if(NOT _ok)
  find_program(NPM_EXECUTABLE npm)
  if(NOT NPM_EXECUTABLE)
    message(FATAL_ERROR "routeauth: npm is needed to fetch tree-sitter-typescript; run scripts/setup.sh")
  endif()
  file(MAKE_DIRECTORY "${_grammar_dir}")
  message(STATUS "routeauth: npm pack tree-sitter-typescript@${ROUTEAUTH_GRAMMAR_VERSION}")
  execute_process(
    COMMAND "${NPM_EXECUTABLE}" pack "tree-sitter-typescript@${ROUTEAUTH_GRAMMAR_VERSION}"
            --pack-destination "${_grammar_dir}" --silent
    WORKING_DIRECTORY "${_grammar_dir}"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "routeauth: npm pack tree-sitter-typescript@${ROUTEAUTH_GRAMMAR_VERSION} failed (${_rc}):\n${_err}")
  endif()
  _routeauth_tarball_ok(_ok)
  if(NOT _ok)
    file(REMOVE "${_tarball}")
    message(FATAL_ERROR "routeauth: tree-sitter-typescript tarball does not match the pinned sha512; refusing to build with it")
  endif()
  file(REMOVE_RECURSE "${_grammar_dir}/package")
endif()

if(NOT EXISTS "${_grammar_dir}/package/typescript/src/parser.c")
  file(ARCHIVE_EXTRACT INPUT "${_tarball}" DESTINATION "${_grammar_dir}")
endif()

set(_src "${_grammar_dir}/package")
add_library(routeauth_grammar STATIC
  "${_src}/typescript/src/parser.c"
  "${_src}/typescript/src/scanner.c"
  "${_src}/tsx/src/parser.c"
  "${_src}/tsx/src/scanner.c")
# Both scanners include ../../common/scanner.h; each parser.c includes its own tree_sitter/parser.h.
target_include_directories(routeauth_grammar PRIVATE "${_src}/typescript/src")
set_target_properties(routeauth_grammar PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated code: never let our warning flags fail on it, always optimise it (parse speed).
target_compile_options(routeauth_grammar PRIVATE -w -O2)
