# Driver for the behaviour tests (cmake -P, one STEP per CTest test). See CMakeLists.txt.
#
#   -DSTEP=npm_ci     install package.json + package-lock.json into NPM_DIR (skipped when the
#                     stamp of the lock file, package.json and node version is unchanged)
#   -DSTEP=typecheck  copy EXAMPLE to WORK_DIR, `routeauth apply` it when APPLY is true, link the
#                     installed node_modules into it and run the real `tsc --noEmit -p <copy>`
#   -DSTEP=execute    copy + apply as above, then run execute_routes.mjs on the copy with the
#                     original EXAMPLE as the baseline and the EXPECTATIONS (comma-separated)
#
# Other inputs: NODE, NPM, GIT (optional), ROUTEAUTH, SOURCE_DIR (tests/behaviour), NPM_DIR;
# MOVE_AUTH_OPTIONS and OWN_SESSION_TYPES change the copy first (see their functions).
# When node or npm is missing the step prints SKIP_MARKER, which CTest turns into "skipped".

cmake_minimum_required(VERSION 3.22)

set(SKIP_MARKER "routeauth-behaviour: SKIPPED")

function(fail)
  string(JOIN "" text ${ARGN})
  message(FATAL_ERROR "routeauth-behaviour: ${text}")
endfunction()

function(skip_unless_node)
  foreach(tool NODE NPM)
    if(NOT ${tool} OR NOT EXISTS "${${tool}}")
      string(TOLOWER "${tool}" name)
      message("${SKIP_MARKER}: `${name}` was not found (configure found '${${tool}}'); "
              "install Node.js and npm and re-run cmake to run the behaviour tests")
      set(skipped TRUE PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(skipped FALSE PARENT_SCOPE)
endfunction()

function(require_installed)
  foreach(pkg typescript next next-auth)
    if(NOT EXISTS "${NPM_DIR}/node_modules/${pkg}/package.json")
      fail("${NPM_DIR}/node_modules/${pkg} is missing: behaviour.npm_ci (fixture behaviour_npm) "
           "must run first; `ctest -R behaviour` runs it")
    endif()
  endforeach()
endfunction()

# Copies EXAMPLE to WORK_DIR/<name> (fresh), applies routeauth when APPLY is true and sets
# `copy` in the caller to the copy's path.
function(prepare_copy apply)
  get_filename_component(name "${EXAMPLE}" NAME)
  file(REMOVE_RECURSE "${WORK_DIR}")
  file(MAKE_DIRECTORY "${WORK_DIR}")
  file(COPY "${EXAMPLE}" DESTINATION "${WORK_DIR}"
       PATTERN "node_modules" EXCLUDE
       PATTERN ".next" EXCLUDE
       PATTERN "*.tsbuildinfo" EXCLUDE)
  set(dir "${WORK_DIR}/${name}")
  set(copy "${dir}" PARENT_SCOPE)
  if(MOVE_AUTH_OPTIONS)
    move_auth_options("${dir}")
  endif()
  if(OWN_SESSION_TYPES)
    own_session_types("${dir}")
  endif()
  if(NOT apply)
    return()
  endif()

  # The copy is its own repository, as the example app would be in real life: routeauth then
  # takes it as the repo root (its config file, its .gitignore), not the routeauth checkout whose
  # .gitignore ignores build trees.
  if(GIT AND EXISTS "${GIT}")
    execute_process(COMMAND "${GIT}" init -q "${dir}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      fail("git init ${dir} failed (${rc})")
    endif()
  endif()

  if(OWN_SESSION_TYPES)
    init_types("${dir}")
  endif()

  message("routeauth-behaviour: ${ROUTEAUTH} apply ${dir}")
  execute_process(COMMAND "${ROUTEAUTH}" apply "${dir}" WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc)
  if(NOT (rc STREQUAL "0" OR rc STREQUAL "1"))
    fail("`routeauth apply` exited ${rc} (0 = clean, 1 = findings left are accepted; 2 = usage, "
         "3 = failure are not)")
  endif()

  # An apply that silently touched nothing would let every check below pass on the original.
  file(GLOB_RECURSE routes RELATIVE "${dir}" "${dir}/app/*/route.*")
  set(changed 0)
  foreach(route IN LISTS routes)
    if(NOT EXISTS "${EXAMPLE}/${route}")  # a route the test added
      continue()
    endif()
    file(SHA256 "${dir}/${route}" after)
    file(SHA256 "${EXAMPLE}/${route}" before)
    if(NOT after STREQUAL before)
      math(EXPR changed "${changed} + 1")
    endif()
  endforeach()
  if(changed EQUAL 0)
    fail("`routeauth apply ${dir}` changed no route file of the un-migrated example")
  endif()
  message("routeauth-behaviour: apply exited ${rc}, ${changed} route file(s) changed")
  if(MOVE_AUTH_OPTIONS)
    # Every route that reads the session imports authOptions from where the project keeps it.
    foreach(route IN LISTS routes)
      file(READ "${dir}/${route}" text)
      if(text MATCHES "getServerSession\\(authOptions\\)" AND NOT text MATCHES "from [\"']@/lib/auth-options[\"']")
        fail("${route} reads the session but does not import authOptions from @/lib/auth-options")
      endif()
      if(text MATCHES "\\[\\.\\.\\.nextauth\\]/route[\"']" AND NOT route MATCHES "nextauth")
        fail("${route} still imports authOptions from the NextAuth route, which no longer exports it")
      endif()
    endforeach()
  endif()
endfunction()

# Issue 18's shape: the app keeps authOptions in lib/auth-options.ts, and its NextAuth route (the
# only file that imports it before the migration) imports it from `@/lib/auth-options`.
function(move_auth_options dir)
  set(nextauth "${dir}/app/api/auth/[...nextauth]/route.ts")
  file(READ "${nextauth}" text)
  string(FIND "${text}" "const handler = NextAuth(authOptions);" at)
  if(at EQUAL -1)
    fail("${nextauth}: `const handler = NextAuth(authOptions);` not found; update move_auth_options")
  endif()
  string(SUBSTRING "${text}" 0 ${at} options)
  string(SUBSTRING "${text}" ${at} -1 rest)
  file(WRITE "${dir}/lib/auth-options.ts" "${options}")
  file(WRITE "${nextauth}" "import NextAuth from \"next-auth\";\nimport { authOptions } from \"@/lib/auth-options\";\n\n${rest}")
endfunction()

# Issue 18's other shape: the app has its own next-auth augmentation with fields of its own (the
# user's id, a subscription flag, JWT fields) but not the two the migrated code reads, and a route
# that reads its own fields. `routeauth init --types` must add the two and keep the others.
function(own_session_types dir)
  file(WRITE "${dir}/types/next-auth.d.ts" [=[
import { DefaultSession } from "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    is_subscribed: boolean;
    user: {
      id: string;
    } & DefaultSession["user"];
  }

  interface User {
    access_token?: string;
    tenant_id?: string;
    is_subscribed?: boolean;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    access_token?: string;
    tenant_id?: string;
    is_subscribed?: boolean;
  }
}
]=])
  file(WRITE "${dir}/app/api/me/route.ts" [=[
import { NextResponse } from "next/server";
import { getServerSession } from "next-auth";
import { authOptions } from "@/app/api/auth/[...nextauth]/route";

// Who is signed in, from the app's own session fields.
export async function GET() {
  const session = await getServerSession(authOptions);
  if (!session) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  return NextResponse.json({ id: session.user.id, subscribed: session.is_subscribed });
}
]=])
endfunction()

# `routeauth init --types` on the copy: exit 0, the app's own fields kept, the two added.
function(init_types dir)
  message("routeauth-behaviour: ${ROUTEAUTH} init --types ${dir}")
  execute_process(COMMAND "${ROUTEAUTH}" init --types "${dir}" WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("`routeauth init --types` exited ${rc}")
  endif()
  file(READ "${dir}/types/next-auth.d.ts" types)
  foreach(kept "is_subscribed: boolean;" "      id: string;" "is_subscribed?: boolean;")
    string(FIND "${types}" "${kept}" at)
    if(at EQUAL -1)
      fail("types/next-auth.d.ts lost the app's own `${kept}` after init --types:\n${types}")
    endif()
  endforeach()
endfunction()

skip_unless_node()
if(skipped)
  return()
endif()

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
  if(EXISTS "${stamp}" AND EXISTS "${NPM_DIR}/node_modules/.package-lock.json")
    file(READ "${stamp}" have)
    if(have STREQUAL wanted)
      message("routeauth-behaviour: ${NPM_DIR}/node_modules is up to date with package-lock.json; "
              "not reinstalling")
      return()
    endif()
  endif()
  file(REMOVE "${stamp}")
  file(MAKE_DIRECTORY "${NPM_DIR}")
  file(COPY_FILE "${SOURCE_DIR}/package.json" "${NPM_DIR}/package.json")
  file(COPY_FILE "${SOURCE_DIR}/package-lock.json" "${NPM_DIR}/package-lock.json")
  message("routeauth-behaviour: npm ci in ${NPM_DIR}")
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund WORKING_DIRECTORY "${NPM_DIR}"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("npm ci failed (${rc})")
  endif()
  require_installed()
  file(WRITE "${stamp}" "${wanted}")

elseif(STEP STREQUAL "typecheck")
  require_installed()
  prepare_copy("${APPLY}")
  file(CREATE_LINK "${NPM_DIR}/node_modules" "${copy}/node_modules" SYMBOLIC)
  message("routeauth-behaviour: tsc --noEmit -p ${copy}")
  execute_process(COMMAND "${NODE}" "${NPM_DIR}/node_modules/typescript/bin/tsc" --noEmit -p "${copy}"
                  WORKING_DIRECTORY "${copy}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("tsc reported errors (exit ${rc}) in ${copy}, listed above")
  endif()
  message("routeauth-behaviour: tsc found no errors")

elseif(STEP STREQUAL "execute")
  require_installed()
  prepare_copy(TRUE)
  execute_process(COMMAND "${NODE}" "${SOURCE_DIR}/execute_routes.mjs"
                          --app "${copy}" --baseline "${EXAMPLE}"
                          --node-modules "${NPM_DIR}/node_modules" --expect "${EXPECTATIONS}"
                  WORKING_DIRECTORY "${WORK_DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    fail("execute_routes.mjs failed (exit ${rc}), see above")
  endif()

else()
  fail("unknown STEP '${STEP}'")
endif()
