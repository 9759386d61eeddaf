#!/usr/bin/env python3
"""Runs routeauth as a new user would over a folder of real Next.js repositories, and measures it.

  python3 bench/corpus.py --routeauth build/routeauth --corpus /tmp/corpus [--labels labels.json]
                          [--execute --node-modules DIR] [--work DIR] [--json OUT]

The corpus is a folder holding one repository per sub-folder (fetched for measurement only: keep it
outside this repository, never commit it; issue 13 point 6). Every repository is copied to a
scratch folder (--work, default a temporary one) and, with no configuration written by hand:

  1. `routeauth init`                (writes routeauth.json: the inferred backends)
  2. `routeauth report --format json` before
  3. `routeauth apply`               (in place)
  4. `routeauth apply` again          (idempotence: it must change no byte)
  5. `routeauth report --format json` after

and one line per repository is printed: route files, routes with backend calls found, migrated,
manual review, parse errors (files apply could not process), idempotent or not, and the backends
init wrote. With --labels (a hand-made ground truth: {repo: {route path: {"calls": [{"kind":
"backend"|"third-party"|"own-origin"|"unknown", "how": ..., "line": N}, ...]}}}), each
repository also gets: routes that call their backend according to the labels (calls made through
NextAuth's own callbacks, how "other", left out), how many of those routeauth found, and the
routes it took for backend routes that the labels say are not; and the totals give the share
found. With --execute, every changed route's before and after are run by
tests/behaviour/execute_fixtures.mjs (the executed proof of issue 14) in its seven scenarios, with
the repository's routeauth.json as the settings: it counts the backend requests whose credential
changed without a session, and third-party requests that changed at all (both must be 0).
Exit status 0 when every repository ran; 1 when a step failed unexpectedly.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROUTE = re.compile(r"(^|/)app/(.+/)?route\.(ts|tsx|js|jsx|mjs)$")


def route_files(root):
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "node_modules" and not d.startswith(".")]
        for f in files:
            rel = os.path.relpath(os.path.join(folder, f), root).replace(os.sep, "/")
            if ROUTE.search(rel):
                out.append(rel)
    return sorted(out)


def digest(root, files):
    h = {}
    for f in files:
        with open(os.path.join(root, f), "rb") as fh:
            h[f] = hashlib.sha256(fh.read()).hexdigest()
    return h


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def report(routeauth, cwd):
    code, out, err = run([routeauth, "report", "--format", "json", "--no-progress", "."], cwd)
    if code not in (0, 1):
        return None, err.strip()
    try:
        return {r["path"]: r for r in json.loads(out)["routes"]}, ""
    except (ValueError, KeyError) as e:
        return None, f"report JSON: {e}"


def given_up(rows, row, why):
    """Records a repository the run could not finish, and says so."""
    row["error"] = why
    rows.append(row)
    print(f"{row['repo']}: gave up: {why}", flush=True)
    return True


def execute(args, repo_name, before_dir, after_dir, changed, config_path, scratch):
    """Runs the changed routes' before/after pairs through the executed-fixture harness."""
    pairs = os.path.join(scratch, "pairs-" + repo_name)
    folder = os.path.join(pairs, "migration")
    os.makedirs(folder, exist_ok=True)
    for rel in changed:
        ext = os.path.splitext(rel)[1]
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", rel[: -len(ext)])
        shutil.copyfile(os.path.join(before_dir, rel), os.path.join(folder, f"{name}.input{ext}"))
        shutil.copyfile(os.path.join(after_dir, rel), os.path.join(folder, f"{name}.output{ext}"))
        if os.path.exists(config_path):
            shutil.copyfile(config_path, os.path.join(folder, f"{name}.config.json"))
    harness = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "behaviour", "execute_fixtures.mjs")
    cmd = ["node", harness, "--fixtures", pairs, "--node-modules", args.node_modules, "--routeauth", args.routeauth]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    return p.returncode, p.stdout + p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--routeauth", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--labels")
    ap.add_argument("--work")
    ap.add_argument("--json", help="write the per-repository figures here")
    ap.add_argument("--execute", action="store_true")
    ap.add_argument("--node-modules", help="tests/behaviour's node_modules (next, typescript), for --execute")
    ap.add_argument("--only", help="only repositories whose folder name contains this")
    args = ap.parse_args()
    args.routeauth = os.path.abspath(args.routeauth)
    if args.execute and not args.node_modules:
        ap.error("--execute needs --node-modules")
    labels = {}
    if args.labels:
        with open(args.labels) as fh:
            labels = json.load(fh)
    work = args.work or tempfile.mkdtemp(prefix="routeauth-corpus-")
    os.makedirs(work, exist_ok=True)
    rows, failed = [], False
    for name in sorted(os.listdir(args.corpus)):
        src = os.path.join(args.corpus, name)
        if not os.path.isdir(src) or (args.only and args.only not in name):
            continue
        repo = os.path.join(work, name)
        before = os.path.join(work, name + ".before")
        for d in (repo, before):
            shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(src, repo, symlinks=True)
        routes = route_files(repo)
        shutil.copytree(src, before, symlinks=True)
        row = {"repo": name, "routes": len(routes)}
        if os.path.exists(os.path.join(repo, "routeauth.json")):
            os.remove(os.path.join(repo, "routeauth.json"))
        code, out, err = run([args.routeauth, "init", "."], repo)
        row["init_exit"] = code
        config_path = os.path.join(repo, "routeauth.json")
        try:
            config = json.loads(re.sub(r"^\s*//.*$", "", open(config_path).read(), flags=re.M))
            row["backends"] = config.get("backends", [])
        except (OSError, ValueError):
            row["backends"] = None
        pre, why = report(args.routeauth, repo)
        if pre is None:
            failed = given_up(rows, row, f"report before: {why}")
            continue
        found = {p for p, r in pre.items() if r["status"] != "no_backend_calls"}
        row["found"] = len(found)
        code, out, err = run([args.routeauth, "apply", "--no-progress", "."], repo)
        row["apply_exit"] = code
        m = re.search(r"(\d+) failed", err)
        row["parse_errors"] = int(m.group(1)) if m else 0
        first = digest(repo, routes)
        run([args.routeauth, "apply", "--no-progress", "."], repo)
        second = digest(repo, routes)
        row["idempotent"] = first == second
        changed = [f for f in routes if digest(before, [f])[f] != first[f]]
        row["changed"] = len(changed)
        post, why = report(args.routeauth, repo)
        if post is None:
            failed = given_up(rows, row, f"report after: {why}")
            continue
        row["migrated"] = sum(1 for r in post.values() if r["status"] == "migrated")
        row["manual_review"] = sum(1 for r in post.values() if r["status"] == "manual_review")
        if name in labels:
            truth = {p for p, v in labels[name].items()
                     if any(c["kind"] == "backend" and c.get("how") != "other" for c in v["calls"])}
            row["labelled_backend_routes"] = len(truth)
            row["found_of_labelled"] = len(truth & found)
            row["missed"] = sorted(truth - found)
            row["not_backend_but_found"] = sorted(found - truth)
            row["third_party_calls"] = sum(1 for v in labels[name].values() for c in v["calls"]
                                           if c["kind"] in ("third-party", "own-origin"))
        if args.execute and changed:
            code, out = execute(args, name, before, repo, changed, config_path, work)
            row["execute_exit"] = code
            tail = [l for l in out.splitlines() if l.strip()][-3:]
            row["execute_summary"] = " | ".join(tail)
            m = re.search(r"(\d+) fixtures: (\d+) passed, (\d+) failed", out)
            row["execute_pairs"], row["execute_failed"] = (int(m.group(1)), int(m.group(3))) if m else (len(changed), len(changed))
            m = re.search(r"(\d+) backend requests checked", out)
            row["execute_backend_requests"] = int(m.group(1)) if m else 0
            row["execute_problems"] = [l for l in out.splitlines() if l.startswith("FAIL")][:20]
        rows.append(row)
        print(f"{name}: routes {row['routes']}, backend routes found {row['found']}"
              + (f" (labels: {row['found_of_labelled']}/{row['labelled_backend_routes']})" if "labelled_backend_routes" in row else "")
              + f", changed {row['changed']}, migrated {row['migrated']}, manual review {row['manual_review']},"
              f" parse errors {row['parse_errors']}, idempotent {'yes' if row['idempotent'] else 'NO'},"
              f" backends {row['backends']}"
              + (f", executed {row['execute_pairs']} changed routes: {row['execute_failed']} failed,"
                 f" {row['execute_backend_requests']} backend requests checked" if "execute_pairs" in row else ""), flush=True)
    total = lambda k: sum(r.get(k, 0) for r in rows)
    print(f"TOTAL: {len(rows)} repositories, {total('routes')} routes, {total('found')} with backend calls found,"
          f" {total('changed')} changed, {total('migrated')} migrated, {total('manual_review')} manual review,"
          f" {total('parse_errors')} parse errors, {sum(1 for r in rows if not r.get('idempotent', True))} not idempotent")
    if labels:
        lab, hit = total("labelled_backend_routes"), total("found_of_labelled")
        print(f"LABELS: {hit}/{lab} routes that call their backend found ({100.0 * hit / max(lab, 1):.1f}%),"
              f" {sum(len(r.get('not_backend_but_found', [])) for r in rows)} found that the labels say call none;"
              f" third-party and own-origin calls in the labels: {total('third_party_calls')}")
    if args.execute:
        print(f"EXECUTED: {total('execute_pairs')} changed routes run before/after in 7 scenarios,"
              f" {total('execute_backend_requests')} backend requests checked, {total('execute_failed')} routes whose"
              f" requests broke the invariant (credential changed without a session, a third party's request"
              f" changed, anything else altered)")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
