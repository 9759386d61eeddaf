#!/usr/bin/env bash
# The recipes of README.md "Use with npm" (examples/recipes/): the README shows each file
# verbatim, every YAML and JSON file parses, and each recipe does its job in a copy of the example
# app where the npm packages are installed (npm_install.sh): the pre-commit hook, run by the real
# pre-commit in a git repository, refuses an un-migrated route and lets a migrated one through;
# `npm run routeauth:check` is `routeauth check .`; the CI job's routeauth step writes the SARIF
# the job uploads.
# usage: recipes.sh <source folder> <self-contained build tree> <example app folder>
set -euo pipefail
src=$(realpath "$1")
tree=$(realpath "$2")
app=$3
recipes=$src/examples/recipes
fail() { echo "recipes: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# -- the README shows them as they are; they parse ---------------------------------------------------
python3 - "$src/README.md" "$recipes" <<'EOF'
import json, pathlib, re, sys, yaml
readme = pathlib.Path(sys.argv[1]).read_text()
blocks = [m.group(1) for m in re.finditer(r'^```[a-z]*\n(.*?)^```$', readme, re.S | re.M)]
files = sorted(p for p in pathlib.Path(sys.argv[2]).iterdir() if p.is_file())
assert files, 'no recipes'
for path in files:
    text = path.read_text()
    assert text in blocks, f'README.md shows no block equal to examples/recipes/{path.name}'
    if path.suffix in ('.yaml', '.yml'):
        assert isinstance(yaml.safe_load(text), dict), f'{path.name} is not a YAML mapping'
    else:
        json.loads(text)
    print(f'{path.name}: in README.md verbatim, parses')
EOF
pre-commit validate-config "$recipes/pre-commit-config.yaml" || fail "pre-commit rejects the recipe"

source "$src/tests/install/npm_install.sh"
install_npm_app "$src" "$tree" "$app" "$tmp/app" "$tmp"
cd "$tmp/app"

# -- pre-commit, with the real pre-commit, in a git repository holding the app ------------------------
export HOME=$tmp/home PRE_COMMIT_HOME=$tmp/pre-commit-home GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@localhost GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@localhost
mkdir "$HOME"
git init -q -b main .
echo node_modules/ >.gitignore
cp "$recipes/pre-commit-config.yaml" .pre-commit-config.yaml
git add -A && git commit -q -m "the app, routes not migrated" --no-verify
pre-commit install >/dev/null
route=app/api/brain/billing/invoices/route.ts
"$tree/routeauth" check "$route" >/dev/null 2>&1 && fail "$route is already migrated: pick an un-migrated route"
echo "// touched" >>"$route"
git add "$route"
rc=0
git commit -q -m "an un-migrated route" >"$tmp/commit.out" 2>&1 || rc=$?
[[ $rc != 0 ]] || fail "pre-commit let an un-migrated route be committed"
grep -q "^$route:[0-9]*:[0-9]*: " "$tmp/commit.out" || { cat "$tmp/commit.out" >&2; fail "the refusal names no finding in $route"; }
echo "pre-commit: the un-migrated $route refused ($(grep -c "^$route:" "$tmp/commit.out") findings)"
node_modules/.bin/routeauth apply --quiet "$route" || fail "routeauth apply $route left findings"
git add "$route"
git commit -q -m "the route migrated" >"$tmp/commit.out" 2>&1 || { cat "$tmp/commit.out" >&2; fail "pre-commit refused the migrated route"; }
grep -q '^routeauth check\.*Passed$' "$tmp/commit.out" || { cat "$tmp/commit.out" >&2; fail "the hook did not run"; }
echo "pre-commit: the migrated $route committed, the hook passed"

# -- the package.json script -----------------------------------------------------------------------
node -e '
  const fs = require("node:fs");
  const [recipe, app] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(app, "utf8"));
  pkg.scripts = { ...pkg.scripts, ...JSON.parse(fs.readFileSync(recipe, "utf8")).scripts };
  fs.writeFileSync(app, JSON.stringify(pkg, null, 2) + "\n");
' "$recipes/package.json" package.json
rc_npm=0 rc_bin=0
"${npm_env[@]}" npm run --silent routeauth:check >"$tmp/npm.out" 2>/dev/null || rc_npm=$?
"$tree/routeauth" check . >"$tmp/bin.out" 2>/dev/null || rc_bin=$?
[[ $rc_npm == "$rc_bin" ]] && cmp -s "$tmp/npm.out" "$tmp/bin.out" \
  || fail "npm run routeauth:check: status $rc_npm, output differs from routeauth check . (status $rc_bin)"
echo "npm run routeauth:check: routeauth check . ($(wc -l <"$tmp/bin.out") findings, status $rc_bin)"

# -- the CI job's routeauth step, run here ------------------------------------------------------------
step=$(python3 - "$recipes/routeauth.yml" <<'EOF'
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))['jobs']['routeauth']
steps = job['steps']
uses = [s['uses'].split('@')[0] for s in steps if 'uses' in s]
assert uses == ['actions/checkout', 'github/codeql-action/upload-sarif'], uses
runs = [s['run'] for s in steps if 'run' in s]
assert 'npm ci' in runs, runs
assert job['permissions']['security-events'] == 'write'
upload = steps[-1]['with']['sarif_file']
(check,) = [r for r in runs if 'routeauth' in r]
assert check.endswith('> ' + upload), (check, upload)
print(check)
EOF
) || fail "the workflow recipe is not the job README.md describes"
rc_step=0 rc_bin=0
"${npm_env[@]}" bash -c "$step" 2>/dev/null || rc_step=$?
"$tree/routeauth" check --format sarif . >"$tmp/bin.sarif" 2>/dev/null || rc_bin=$?
[[ $rc_step == "$rc_bin" ]] && cmp -s routeauth.sarif "$tmp/bin.sarif" \
  || fail "'$step': status $rc_step, not the binary's SARIF (status $rc_bin)"
node -e 'const s = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); if (s.version !== "2.1.0" || !s.runs[0].results.length) process.exit(1)' \
  "$PWD/routeauth.sarif" || fail "routeauth.sarif is not SARIF 2.1.0 with results"
echo "CI step '$step': SARIF 2.1.0, as the binary's, status $rc_step"
