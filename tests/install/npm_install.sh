# Sourced by npm.sh and recipes.sh: packs the two npm packages with scripts/npm-pack.sh and
# installs them into a copy of an app the way a user does, `npm i -D routeauth`, from a private
# registry on 127.0.0.1 (npm_registry.mjs) that holds those two tarballs and nothing else.
#
# The app's own dependencies (next, next-auth, ...) are not in that registry, and the test must
# not reach the real one. So npm runs on the copy with its package.json reduced to its name, and
# the original package.json is put back afterwards with the `routeauth` devDependency npm wrote
# (package-lock.json, which would then list only routeauth, is removed). routeauth itself reads
# the app's real package.json (which next-auth, which modules), so every comparison runs on the
# app as it is, plus node_modules/ holding routeauth and @routeauth/linux-x64 only.
#
# Sets: version, packages (folder of the two .tgz), npm_env (an env(1) prefix: a private cache
# and user config, no update notices, any registry access after the install fails loudly).

# install_npm_app <source folder> <self-contained tree> <app folder> <copy> <scratch folder>
install_npm_app() {
  local src=$1 tree=$2 app=$3 copy=$4 scratch=$5
  version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$tree/CMakeCache.txt")
  packages=$scratch/packages
  bash "$src/scripts/npm-pack.sh" "$tree" "$packages" >/dev/null
  : >"$scratch/npmrc"
  npm_env=(env "npm_config_userconfig=$scratch/npmrc" "npm_config_cache=$scratch/npm-cache"
           npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false)

  local registry registry_pid
  exec {registry}< <(exec node "$src/tests/install/npm_registry.mjs" "$scratch/requests.log" \
                       "$packages/routeauth-$version.tgz" "$packages/routeauth-linux-x64-$version.tgz")
  registry_pid=$!
  local url
  read -r -u "$registry" url || { echo "npm: FAIL: the private registry did not start" >&2; return 1; }

  cp -r "$app" "$copy"
  mv "$copy/package.json" "$scratch/app-package.json"
  node -e 'const p = require(process.argv[1]); console.log(JSON.stringify({ name: p.name, private: true }))' \
    "$scratch/app-package.json" >"$copy/package.json"
  local rc=0
  (cd "$copy" && "${npm_env[@]}" npm install --save-dev --registry "$url" "routeauth@$version" \
     >"$scratch/npm-install.log" 2>&1) || rc=$?
  kill "$registry_pid"
  exec {registry}<&-
  if ((rc != 0)); then
    cat "$scratch/npm-install.log" "$scratch/requests.log" >&2
    echo "npm: FAIL: npm install --save-dev routeauth@$version from the private registry: status $rc" >&2
    return 1
  fi
  # The app's package.json again, with the devDependency npm added.
  node -e '
    const fs = require("node:fs");
    const [original, installed] = process.argv.slice(1);
    const app = JSON.parse(fs.readFileSync(original, "utf8"));
    app.devDependencies = { ...app.devDependencies, ...JSON.parse(fs.readFileSync(installed, "utf8")).devDependencies };
    fs.writeFileSync(installed, JSON.stringify(app, null, 2) + "\n");
  ' "$scratch/app-package.json" "$copy/package.json"
  rm "$copy/package-lock.json"
  npm_env+=("npm_config_registry=http://127.0.0.1:9/" npm_config_offline=true)
}
