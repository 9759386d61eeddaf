# Driver of behaviour.execute_fixtures (cmake -P): runs execute_fixtures.mjs over fixtures/ with the
# typescript and next that behaviour.npm_ci installed into NPM_DIR, and the built routeauth (its
# `check` says which parts of an output are left for a person). See execute_fixtures.mjs.
#
# Inputs: NODE, NPM, ROUTEAUTH, SCRIPT (execute_fixtures.mjs), FIXTURES (a folder of
# <rule>/<situation>.input/.output pairs, and of projects/<case>/input/ and output/ trees), NPM_DIR, and optionally EXPECT_VIOLATIONS (then every
# pair must be reported as violating, with the messages its .violation.txt lists).
# When node or npm is missing it prints the skip marker, which CTest turns into "skipped".

cmake_minimum_required(VERSION 3.22)

foreach(tool NODE NPM)
  if(NOT ${tool} OR NOT EXISTS "${${tool}}")
    string(TOLOWER "${tool}" name)
    message("routeauth-behaviour: SKIPPED: `${name}` was not found (configure found '${${tool}}'); "
            "install Node.js and npm and re-run cmake to run the behaviour tests")
    return()
  endif()
endforeach()

foreach(pkg typescript next)
  if(NOT EXISTS "${NPM_DIR}/node_modules/${pkg}/package.json")
    message(FATAL_ERROR "routeauth-behaviour: ${NPM_DIR}/node_modules/${pkg} is missing: behaviour.npm_ci "
                        "(fixture behaviour_npm) must run first; `ctest -R behaviour` runs it")
  endif()
endforeach()

set(extra)
if(EXPECT_VIOLATIONS)
  list(APPEND extra --expect-violations)
endif()
execute_process(COMMAND "${NODE}" "${SCRIPT}" --fixtures "${FIXTURES}" --node-modules "${NPM_DIR}/node_modules"
                        --routeauth "${ROUTEAUTH}" ${extra}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "routeauth-behaviour: execute_fixtures.mjs failed (exit ${rc}), see above")
endif()
