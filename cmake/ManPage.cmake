# Writes the man page routeauth(1) from the built binary's own help (cmake -P, at build time):
# help2man formats `routeauth --help` and `--version`, and a COMMANDS section holds the `--help` of
# each subcommand that the top-level help lists, so nothing here is a copy that could drift.
# -DBINARY=<routeauth> -DHELP2MAN=<help2man> -DOUT=<routeauth.1>
foreach(_v BINARY HELP2MAN OUT)
  if(NOT ${_v})
    message(FATAL_ERROR "ManPage.cmake: ${_v} is not set")
  endif()
endforeach()

execute_process(COMMAND "${BINARY}" --help OUTPUT_VARIABLE _help RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "ManPage.cmake: ${BINARY} --help failed (${_rc})")
endif()
# The subcommands: the lines of the "Subcommands:" block, up to the next blank line.
string(REGEX MATCH "\nSubcommands:\n(([^\n]+\n)+)" _ "${_help}")
string(REGEX MATCHALL "(^|\n)  [a-z][a-z-]*" _names "${CMAKE_MATCH_1}")
if(NOT _names)
  message(FATAL_ERROR "ManPage.cmake: no subcommands found in ${BINARY} --help")
endif()

# roff: a backslash is written \e, and a line may not start with a period or an apostrophe.
set(_include "[COMMANDS]\n")
foreach(_name IN LISTS _names)
  string(STRIP "${_name}" _name)
  execute_process(COMMAND "${BINARY}" ${_name} --help OUTPUT_VARIABLE _sub RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "ManPage.cmake: ${BINARY} ${_name} --help failed (${_rc})")
  endif()
  string(REPLACE "\\" "\\e" _sub "${_sub}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" _sub "${_sub}")
  string(APPEND _include ".SS \"routeauth ${_name}\"\n.nf\n${_sub}.fi\n")
endforeach()
get_filename_component(_dir "${OUT}" DIRECTORY)
file(WRITE "${_dir}/routeauth.h2m" "${_include}")

execute_process(
  COMMAND "${HELP2MAN}" --no-info --section=1 --source=routeauth
          "--name=migrate Next.js API routes to NextAuth session auth with tenant isolation"
          "--include=${_dir}/routeauth.h2m" "--output=${OUT}" "${BINARY}"
  RESULT_VARIABLE _rc ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "ManPage.cmake: help2man failed (${_rc}): ${_err}")
endif()
