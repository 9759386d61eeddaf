#!/usr/bin/env python3
"""The Markdown report of one bench/compare.sh run:

    python3 bench/report.py RESULTS_DIR N [N ...]

reads RESULTS_DIR/<N>-<id>.json (hyperfine --export-json), <N>-<id>.time (/usr/bin/time -v),
<N>-<id>.out/.err (the output of that one timed run) and machine.txt, and prints the machine, the
table of every command, the targets of issues 17 and 8 (met / missed) and a sanity check that every tool
saw every file. Standard library only.
"""

import json
import os
import re
import sys

ROWS = [  # id, label
    ("floor-parse", "tree-sitter floor: parse only"),
    ("floor-walk", "tree-sitter floor: parse + one full cursor walk"),
    ("floor-query", "tree-sitter floor: parse + query (fetch.scm)"),
    ("floor-queries", "tree-sitter floor: parse + every queries/*.scm (one run each)"),
    ("routeauth-check-j1", "routeauth check -j1"),
    ("routeauth-check", "routeauth check"),
    ("routeauth-apply", "routeauth apply (fresh copy each run)"),
    ("astgrep-scan", "ast-grep scan (2 check rules)"),
    ("astgrep-update", "ast-grep scan --update-all (3 rewrite rules)"),
    ("jscodeshift-dry", "jscodeshift --dry"),
    ("jscodeshift-apply", "jscodeshift (writes)"),
]
ONE_ROWS = [
    ("routeauth-version", "routeauth --version (start-up)"),
    ("routeauth-check", "routeauth check, 1 file"),
    ("floor-parse", "tree-sitter floor: parse only, 1 file"),
    ("floor-query", "tree-sitter floor: parse + query, 1 file"),
    ("astgrep-scan", "ast-grep scan, 1 file"),
]

TARGET_CHECK_CPU = 1.25  # issue 8, against parse + query
TARGET_CHECK_J1_VS_PARSE = 1.3  # issue 17, against parse only
TARGET_APPLY_VS_PARSE = 2.2
TARGET_PARALLEL_CPU = 1.1  # CPU of check -jTHREADS ÷ CPU of check -j1
TARGET_PARALLEL_WALL = 0.55  # wall of check -jTHREADS ÷ wall of check -j1
TARGET_CHECK_VS_ASTGREP = 0.5
TARGET_APPLY_VS_JSCODESHIFT = 40.0
TARGET_ONE_FILE_MS = 10.0
TARGET_MEMORY_GROWTH = 1.5


def load(res, n, ident):
    out = {}
    path = os.path.join(res, "%s-%s.json" % (n, ident))
    if not os.path.exists(path):
        return None
    with open(path) as f:
        r = json.load(f)["results"][0]
    out["wall"] = r["median"]
    out["cpu"] = r["user"] + r["system"]
    out["runs"] = len(r["times"])
    out["exit"] = sorted(set(c for c in r.get("exit_codes", []) if c is not None))
    out["rss_kb"] = None
    tpath = os.path.join(res, "%s-%s.time" % (n, ident))
    if os.path.exists(tpath):
        with open(tpath) as f:
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())
            if m:
                out["rss_kb"] = int(m.group(1))
    for stream in ("out", "err"):
        p = os.path.join(res, "%s-%s.%s" % (n, ident, stream))
        out[stream] = open(p, errors="replace").read() if os.path.exists(p) else ""
    return out


def seconds(s):
    if s is None:
        return "n/a"
    if s < 1:
        return "%.1f ms" % (s * 1000)
    return "%.2f s" % s


def mib(kb):
    return "n/a" if kb is None else "%.0f MiB" % (kb / 1024.0)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def fmt_ratio(r):
    return "n/a" if r is None else "%.2f×" % r


def verdict(ok):
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def main():
    res = sys.argv[1]
    sizes = sys.argv[2:]
    machine = {}
    with open(os.path.join(res, "machine.txt")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            machine[k] = v

    print("## routeauth benchmark, %s" % machine.get("date", "?"))
    print()
    print("- machine: %s, %s cores (nproc), %s, %s" % (
        machine.get("cpu"), machine.get("nproc"), machine.get("memory"), machine.get("kernel")))
    print("- load average at start / end: %s / %s" % (machine.get("load_start"), machine.get("load_end")))
    print("- routeauth %s; tree-sitter runtime %s; %s; jscodeshift %s; node %s; %s" % (
        machine.get("routeauth"), machine.get("tree_sitter"), machine.get("astgrep"),
        machine.get("jscodeshift"), machine.get("node"), machine.get("hyperfine")))
    print("- settings: %s" % machine.get("settings"))
    print("- command: `%s`" % machine.get("command"))
    print()
    print("Wall: median of the hyperfine runs. CPU: user + system, mean of the same runs (hyperfine "
          "reports means). Peak RSS: one run under `/usr/bin/time -v` (largest single process; "
          "jscodeshift's workers are separate processes). Ratios are to the parse-only floor of "
          "the same corpus first (\"÷ parse\"), then to the parse + query floor (\"÷ query\", "
          "the reference of issue 8, kept for continuity).")
    print()
    print("| tool | files | wall (median) | CPU user+sys (mean) | peak RSS | wall ÷ parse | CPU ÷ parse "
          "| wall ÷ query | CPU ÷ query | exit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    data = {}

    def row(label, n, d, parse, query):
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label, n, seconds(d["wall"]), seconds(d["cpu"]), mib(d["rss_kb"]),
            fmt_ratio(ratio(d["wall"], parse and parse["wall"])),
            fmt_ratio(ratio(d["cpu"], parse and parse["cpu"])),
            fmt_ratio(ratio(d["wall"], query and query["wall"])),
            fmt_ratio(ratio(d["cpu"], query and query["cpu"])),
            ",".join(str(c) for c in d["exit"])))

    for n in sizes:
        parse, query = load(res, n, "floor-parse"), load(res, n, "floor-query")
        for ident, label in ROWS:
            d = load(res, n, ident)
            data[(n, ident)] = d
            if d is not None:
                row(label, n, d, parse, query)
    one_parse, one_query = load(res, "one", "floor-parse"), load(res, "one", "floor-query")
    for ident, label in ONE_ROWS:
        d = load(res, "one", ident)
        data[("one", ident)] = d
        if d is not None:
            row(label, 1, d, one_parse, one_query)

    # ---- targets -------------------------------------------------------------------------------
    print()
    print("### Targets (issues 17 and 8)")
    print()
    print("| target | files | measured | verdict |")
    print("|---|---:|---|---|")

    def get(n, ident, key):
        d = data.get((n, ident))
        return None if d is None else d.get(key)

    def at_most(text, n, r, limit):
        print("| %s | %s | %s | %s |" % (text, n, fmt_ratio(r), verdict(None if r is None else r <= limit)))

    for n in sizes:
        at_most("check -j1 CPU ≤ %.1f× the parse-only floor" % TARGET_CHECK_J1_VS_PARSE, n,
                ratio(get(n, "routeauth-check-j1", "cpu"), get(n, "floor-parse", "cpu")),
                TARGET_CHECK_J1_VS_PARSE)
    for n in sizes:
        at_most("apply CPU ≤ %.1f× the parse-only floor" % TARGET_APPLY_VS_PARSE, n,
                ratio(get(n, "routeauth-apply", "cpu"), get(n, "floor-parse", "cpu")),
                TARGET_APPLY_VS_PARSE)
    for n in sizes:
        at_most("check -j THREADS CPU ≤ %.1f× check -j1 CPU" % TARGET_PARALLEL_CPU, n,
                ratio(get(n, "routeauth-check", "cpu"), get(n, "routeauth-check-j1", "cpu")),
                TARGET_PARALLEL_CPU)
    for n in sizes:
        at_most("check -j THREADS wall ≤ %.2f× check -j1 wall" % TARGET_PARALLEL_WALL, n,
                ratio(get(n, "routeauth-check", "wall"), get(n, "routeauth-check-j1", "wall")),
                TARGET_PARALLEL_WALL)

    for n in sizes:
        r = ratio(get(n, "routeauth-check", "cpu"), get(n, "floor-query", "cpu"))
        print("| check CPU ≤ %.2f× the parse + query floor | %s | %s | %s |" % (
            TARGET_CHECK_CPU, n, fmt_ratio(r), verdict(None if r is None else r <= TARGET_CHECK_CPU)))
    for n in sizes:
        r = ratio(get(n, "routeauth-check", "wall"), get(n, "astgrep-scan", "wall"))
        print("| check wall ≤ %.1f× ast-grep scan | %s | %s | %s |" % (
            TARGET_CHECK_VS_ASTGREP, n, fmt_ratio(r),
            verdict(None if r is None else r <= TARGET_CHECK_VS_ASTGREP)))
    for n in sizes:
        r = ratio(get(n, "jscodeshift-apply", "wall"), get(n, "routeauth-apply", "wall"))
        if r is None:
            print("| apply ≥ %.0f× faster than jscodeshift | %s | jscodeshift not run | n/a |"
                  % (TARGET_APPLY_VS_JSCODESHIFT, n))
            continue
        dry = ratio(get(n, "jscodeshift-dry", "wall"), get(n, "routeauth-check", "wall"))
        print("| apply ≥ %.0f× faster than jscodeshift | %s | %.1f× (jscodeshift --dry ÷ check: %s) | %s |" % (
            TARGET_APPLY_VS_JSCODESHIFT, n, r, "n/a" if dry is None else "%.1f×" % dry,
            verdict(r >= TARGET_APPLY_VS_JSCODESHIFT)))
    w = get("one", "routeauth-check", "wall")
    v = get("one", "routeauth-version", "wall")
    print("| 1-file check ≤ %.0f ms wall | 1 | %s (start-up, `--version`: %s) | %s |" % (
        TARGET_ONE_FILE_MS, seconds(w), seconds(v),
        verdict(None if w is None else w * 1000 <= TARGET_ONE_FILE_MS)))
    if len(sizes) >= 2:
        lo, hi = min(sizes, key=int), max(sizes, key=int)
        for ident in ("routeauth-check", "routeauth-apply"):
            r = ratio(get(hi, ident, "rss_kb"), get(lo, ident, "rss_kb"))
            print("| peak RSS at %s within %.1f× of %s (%s) | %s/%s | %s (%s → %s) | %s |" % (
                hi, TARGET_MEMORY_GROWTH, lo, ident.split("-")[1], lo, hi, fmt_ratio(r),
                mib(get(lo, ident, "rss_kb")), mib(get(hi, ident, "rss_kb")),
                verdict(None if r is None else r <= TARGET_MEMORY_GROWTH)))
    else:
        print("| peak RSS at 10k within %.1f× of 1k | — | needs two sizes | n/a |" % TARGET_MEMORY_GROWTH)

    # ---- sanity: every tool saw every file -----------------------------------------------------
    print()
    print("### Sanity (the one `/usr/bin/time` run of each command)")
    print()
    for n in sizes:
        notes = []
        # The parse + query run: its line has the query's matches too (the parse-only run has 0).
        d = data.get((n, "floor-query")) or data.get((n, "floor-parse"))
        if d:
            m = re.search(r"routeauth_floor: (.*)", d["err"])
            notes.append("floor: " + (m.group(1) if m else "?"))
        d = data.get((n, "routeauth-check"))
        if d:
            m = re.search(r"routeauth: (.*)", d["err"])
            files = len(set(line.split(":")[0] for line in d["out"].splitlines() if ": error:" in line))
            notes.append("routeauth check: %s; %d findings in %d files" % (
                m.group(1) if m else "?", sum(1 for l in d["out"].splitlines() if ": error:" in l), files))
        d = data.get((n, "routeauth-apply"))
        if d:
            m = re.search(r"routeauth: (.*)", d["err"])
            notes.append("routeauth apply: " + (m.group(1) if m else "?"))
        d = data.get((n, "astgrep-scan"))
        if d:
            lines = [l for l in d["out"].splitlines() if re.match(r".+:\d+:\d+: ", l)]
            notes.append("ast-grep scan: %d findings in %d files" % (
                len(lines), len(set(l.split(":")[0] for l in lines))))
        d = data.get((n, "astgrep-update"))
        if d:
            m = re.search(r"Applied (\d+) changes", d["out"] + d["err"])
            notes.append("ast-grep --update-all: %s changes" % (m.group(1) if m else "?"))
        for ident in ("jscodeshift-dry", "jscodeshift-apply"):
            d = data.get((n, ident))
            if d:
                counts = dict((k, v) for v, k in re.findall(r"^(\d+) (errors|unmodified|skipped|ok)$",
                                                            d["out"], re.M))
                notes.append("%s: %s ok, %s skipped, %s unmodified, %s errors" % (
                    ident, counts.get("ok", "?"), counts.get("skipped", "?"),
                    counts.get("unmodified", "?"), counts.get("errors", "?")))
        print("- %s files: %s" % (n, "; ".join(notes)))


if __name__ == "__main__":
    main()
