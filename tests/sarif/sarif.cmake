# Driver for the SARIF tests (cmake -P, one STEP per CTest test). See CMakeLists.txt.
#
#   -DSTEP=npm_ci    install package.json + package-lock.json into NPM_DIR (skipped when the stamp
#                    of the lock file, package.json and node version is unchanged)
#   -DSTEP=validate  copy EXAMPLE into WORK_DIR as a git repository, add a route that does not
#                    parse and one under a `[id]` folder, write `routeauth check --format sarif`
#                    before and after `routeauth apply`, and validate both with validate_sarif.mjs
#
# Other inputs: NODE, NPM, GIT (optional), ROUTEAUTH, SOURCE_DIR (tests/sarif).

cmake_minimum_required(VERSION 3.22)

set(SKIP_MARKER "routeauth-sarif: SKIPPED")

function(fail)
  string(JOIN "" text ${ARGN})
  message(FATAL_ERROR "routeauth-sarif: ${text}")
endfunction()

foreach(tool NODE NPM)
  if(NOT ${tool} OR NOT EXISTS "${${tool}}")
    string(TOLOWER "${tool}" name)
    message("${SKIP_MARKER}: `${name}` was not found (configure found '${${tool}}'); install Node.js and npm "
            "and re-run cmake to validate the SARIF output")
    return()
  endif()
endforeach()

set(schema "${NPM_DIR}/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json")

if(STEP STREQUAL "npm_ci")
  file(SHA256 "${SOURCE_DIR}/package-lock.json" lock_hash)
  file(SHA256 "${SOURCE_DIR}/package.json" package_hash)
  execute_process(COMMAND "${NODE}" --version OUTPUT_VARIABLE node_version
                  OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("`${NODE} --version` failed (${rc})")
  endif()
  set(wanted "lock ${lock_hash}\npackage ${package_hash}\nnode ${node_version}\n")
  set(stamp "${NPM_DIR}/install.stamp")
  if(EXISTS "${stamp}" AND EXISTS "${schema}")
    file(READ "${stamp}" have)
    if(have STREQUAL wanted)
      message("routeauth-sarif: ${NPM_DIR}/node_modules is up to date with package-lock.json; not reinstalling")
      return()
    endif()
  endif()
  file(REMOVE "${stamp}")
  file(MAKE_DIRECTORY "${NPM_DIR}")
  file(COPY_FILE "${SOURCE_DIR}/package.json" "${NPM_DIR}/package.json")
  file(COPY_FILE "${SOURCE_DIR}/package-lock.json" "${NPM_DIR}/package-lock.json")
  message("routeauth-sarif: npm ci in ${NPM_DIR}")
  # --ignore-scripts: the only install script is the multitool's `chmod u+x`; only its schema
  # file is used.
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund --ignore-scripts WORKING_DIRECTORY "${NPM_DIR}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("npm ci failed (${rc})")
  endif()
  foreach(needed "${schema}" "${NPM_DIR}/node_modules/ajv/package.json" "${NPM_DIR}/node_modules/ajv-formats/package.json")
    if(NOT EXISTS "${needed}")
      fail("npm ci did not install ${needed}")
    endif()
  endforeach()
  file(WRITE "${stamp}" "${wanted}")

elseif(STEP STREQUAL "validate")
  if(NOT EXISTS "${schema}")
    fail("${schema} is missing: sarif.npm_ci (fixture sarif_npm) must run first; `ctest -R sarif` runs it")
  endif()
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  file(COPY "${EXAMPLE}" DESTINATION "${WORK_DIR}" PATTERN "node_modules" EXCLUDE PATTERN ".next" EXCLUDE)
  get_filename_component(name "${EXAMPLE}" NAME)
  set(app "${WORK_DIR}/${name}")
  if(GIT AND EXISTS "${GIT}")
    execute_process(COMMAND "${GIT}" init -q "${app}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      fail("git init ${app} failed (${rc})")
    endif()
  endif()
  file(WRITE "${app}/app/api/brain/broken/route.ts" "export async function GET() {\n  const x = ;\n  return x\n}\n")
  file(WRITE "${app}/app/api/brain/items/[id]/route.ts"
       "const BRAIN_API_URL = process.env.BRAIN_API_URL\n\n"
       "export async function GET(request: Request, { params }: { params: { id: string } }) {\n"
       "  // Élément: a comment with non-ASCII text before the finding's line\n"
       "  const r = await fetch(`\${BRAIN_API_URL}/api/items/\${params.id}/`)\n"
       "  return Response.json(await r.json())\n"
       "}\n")

  # Before: findings of every rule, and a parse error (exit 3).
  execute_process(COMMAND "${ROUTEAUTH}" check -q --format sarif .
                  WORKING_DIRECTORY "${app}" OUTPUT_FILE "${WORK_DIR}/before.sarif" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 3)
    fail("`routeauth check --format sarif` on the un-migrated copy exited ${rc}, expected 3 (a parse error)")
  endif()
  file(READ "${WORK_DIR}/before.sarif" before)
  string(JSON results LENGTH "${before}" runs 0 results)
  if(results LESS 10)
    fail("the un-migrated copy gave only ${results} SARIF results")
  endif()

  # After apply (without the broken route): what is left, possibly nothing.
  file(REMOVE_RECURSE "${app}/app/api/brain/broken")
  execute_process(COMMAND "${ROUTEAUTH}" apply -q . WORKING_DIRECTORY "${app}" RESULT_VARIABLE rc)
  if(NOT (rc EQUAL 0 OR rc EQUAL 1))
    fail("`routeauth apply` exited ${rc}")
  endif()
  execute_process(COMMAND "${ROUTEAUTH}" check -q --format sarif .
                  WORKING_DIRECTORY "${app}" OUTPUT_FILE "${WORK_DIR}/after.sarif" RESULT_VARIABLE rc)
  if(NOT (rc EQUAL 0 OR rc EQUAL 1))
    fail("`routeauth check --format sarif` on the migrated copy exited ${rc}")
  endif()

  execute_process(COMMAND "${NODE}" "${SOURCE_DIR}/validate_sarif.mjs" --node-modules "${NPM_DIR}/node_modules"
                          "${WORK_DIR}/before.sarif" "${WORK_DIR}/after.sarif"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("validate_sarif.mjs failed (exit ${rc}), see above")
  endif()

else()
  fail("unknown STEP '${STEP}'")
endif()
