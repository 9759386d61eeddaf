#!/usr/bin/env python3
"""Deterministic generator of un-migrated Next.js API route files for the benchmarks.

    python3 bench/generate.py --count 1000 --seed 1 --out /tmp/corpus [--git] [--force]

writes <out>/app/api/gen/<k>/route.ts for k = 0 .. count-1: files of 2-6 KB in the shapes of the
team's migration guide "before" state and the spec (GET with `let url` + URLSearchParams +
`url += ?${params}`, GET copying every client param with forEach, an inline `?period=${p}`
query, no query, `new URL(...)`, POST/PUT/PATCH/DELETE with a JSON body and headers, some
forwarding the caller's Authorization, function / arrow / wrapped / `export { handler as GET }`
handlers, dynamic `{ params }` segments, a third-party fetch next to a backend one, some files
with no backend fetch at all) padded to size with types, helpers and comments.

File k depends only on (seed, k): the same seed gives byte-identical files whatever the count,
so a 1k corpus is the first thousand files of the 10k one. No .gitignore is written; --git makes
<out> a git repository with everything committed (fixed author and date, so the commit is
reproducible too), which also stops tools from honouring ignore files of enclosing folders.

A summary (files, bytes, size range, shape counts) goes to stderr; --stats prints it as JSON on
stdout. Python 3.8+, standard library only.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

MIN_SIZE = 2048
MAX_SIZE = 6144

AREAS = {
    "crm": ["contacts", "deals", "activities", "tasks", "opportunities", "companies", "notes"],
    "cms": ["pages", "posts", "media", "forms", "templates", "snippets", "menus"],
    "marketing": ["campaigns", "email", "social", "automation", "leads", "segments"],
    "analytics": ["overview", "traffic", "funnels", "cohorts", "events", "retention"],
    "billing": ["subscriptions", "invoices", "payment-methods", "usage", "plans", "coupons"],
    "integrations": ["webhooks", "api-keys", "third-party", "connectors", "syncs"],
    "support": ["tickets", "macros", "satisfaction", "queues"],
    "inventory": ["products", "warehouses", "stock-levels", "suppliers"],
}
FILTERS = ["search", "status", "page", "page_size", "ordering", "owner", "stage", "tag",
           "created_after", "created_before", "channel", "type", "limit", "offset", "q", "sort"]
PERIODS = ["7d", "30d", "90d", "12m"]
FIELD_TYPES = ["string", "number", "boolean", "string | null", "number | null", "string[]",
               "Record<string, unknown>", "'active' | 'archived'", "Date | string"]
FIELD_NAMES = ["id", "name", "email", "status", "owner_id", "created_at", "updated_at", "title",
               "amount", "currency", "stage", "tags", "notes", "slug", "priority", "due_date",
               "tenant_ref", "external_id", "metadata", "score", "region", "source", "count"]
WORDS = ("the route proxies the backend service and returns its payload unchanged to the client "
         "so the dashboard can render the list with filters pagination and sorting applied by "
         "the server we keep the handler thin on purpose validation lives in the backend while "
         "this layer only maps errors into JSON responses that the UI understands").split()
WRAPPERS = ["withErrorHandling", "withLogging", "withRateLimit", "withTiming"]
THIRD_PARTY = [
    ("SLACK_WEBHOOK_URL", "slack"),
    ("DISCORD_WEBHOOK_URL", "discord"),
    ("ZAPIER_HOOK_URL", "zapier"),
]


class Style:
    def __init__(self, rng):
        self.quote = rng.choice(["'", "'", '"'])
        self.semi = rng.random() < 0.5
        self.indent = "    " if rng.random() < 0.15 else "  "
        self.crlf = rng.random() < 0.03


class Lines:
    """Code as (depth, text) lines, written in a neutral form: two-space depth, single quotes,
    `;` at statement ends. render() applies the file's style."""

    def __init__(self):
        self.items = []

    def add(self, depth, text=""):
        for i, line in enumerate(text.split("\n")):
            # Nested lines of a multi-line snippet carry their own two-space indentation.
            extra = (len(line) - len(line.lstrip(" "))) // 2
            text = line[2 * extra:]
            self.items.append((depth + extra if text.strip() else 0, text if text.strip() else ""))
        return self

    def blank(self):
        self.items.append((0, ""))
        return self

    def extend(self, other, depth=0):
        for d, t in other.items:
            self.items.append((d + depth if t else 0, t))
        return self


def render(lines, style):
    out = []
    for depth, text in lines.items:
        if not text:
            out.append("")
            continue
        if style.quote == '"':
            text = text.replace("'", '"')
        if not style.semi and text.endswith(";") and not text.lstrip().startswith("//") \
                and not text.lstrip().startswith("*"):
            text = text[:-1]
        out.append(style.indent * depth + text)
    eol = "\r\n" if style.crlf else "\n"
    return eol.join(out) + eol


def sub(template, **values):
    for key, value in values.items():
        template = template.replace("@" + key + "@", str(value))
    return template


# ---- handler bodies -----------------------------------------------------------------------------
# Each returns the statements of the handler's work (before the response handling) as Lines at
# depth 0, and what the handler needs from its signature.

def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def response_tail(rng, res, verb, status_ok=None):
    t = Lines()
    t.blank()
    t.add(0, "if (!response.ok) {")
    if rng.random() < 0.3:
        t.add(1, "const detail = await response.text();")
        t.add(1, sub("return NextResponse.json(\n  { error: 'Failed to @V@ @R@', detail },\n"
                     "  { status: response.status }\n);", V=verb, R=res))
    elif rng.random() < 0.3:
        t.add(1, "if (response.status === 404) {")
        t.add(2, sub("return NextResponse.json({ error: 'Not found' }, { status: 404 });"))
        t.add(1, "}")
        t.add(1, sub("return NextResponse.json(\n  { error: 'Failed to @V@ @R@' },\n"
                     "  { status: response.status }\n);", V=verb, R=res))
    else:
        t.add(1, sub("return NextResponse.json(\n  { error: 'Failed to @V@ @R@' },\n"
                     "  { status: response.status }\n);", V=verb, R=res))
    t.add(0, "}")
    t.blank()
    if verb == "delete" and rng.random() < 0.6:
        t.add(0, "return NextResponse.json({ success: true });")
    else:
        t.add(0, "const data = await response.json();")
        if status_ok:
            t.add(0, "return NextResponse.json(data, { status: %d });" % status_ok)
        else:
            t.add(0, "return NextResponse.json(data);")
    return t


def catch_tail(rng, res, verb, fallback):
    t = Lines()
    t.add(0, "} catch (error) {")
    t.add(1, sub("console.error('Error @V@ing @R@:', error);", V=verb.rstrip("e"), R=res))
    if fallback:
        t.add(1, "// Fall back to an empty page so the dashboard still renders")
        t.add(1, "return NextResponse.json({ results: [], count: 0, fallback: true });")
    else:
        t.add(1, sub("return NextResponse.json(\n  { error: 'Failed to @V@ @R@' },\n"
                     "  { status: 500 }\n);", V=verb, R=res))
    t.add(0, "}")
    return t


def headers_block(rng, forward_auth):
    """The `headers: {...}` option lines (neutral form)."""
    h = Lines()
    if not forward_auth and rng.random() < 0.25:
        h.add(0, "headers: { 'Content-Type': 'application/json' },")
        return h
    h.add(0, "headers: {")
    h.add(1, "'Content-Type': 'application/json',")
    if rng.random() < 0.2:
        h.add(1, "'Accept': 'application/json',")
    if forward_auth:
        h.add(1, "'Authorization': request.headers.get('authorization') || '',")
    h.add(0, "},")
    return h


def get_let_url(rng, ctx):
    b = Lines()
    if ctx["request_type"] == "Request":
        b.add(0, "const { searchParams } = new URL(request.url);")
    else:
        b.add(0, "const searchParams = request.nextUrl.searchParams;")
    b.blank()
    if rng.random() < 0.5:
        b.add(0, "// Build URL with params")
    b.add(0, sub("let url = `${BRAIN_API_URL}/api/@A@/@R@/`;", A=ctx["area"], R=ctx["res"]))
    b.add(0, "const params = new URLSearchParams();")
    b.blank()
    for f in rng.sample(FILTERS, rng.randint(2, 6)):
        b.add(0, sub("if (searchParams.get('@F@')) params.set('@F@', searchParams.get('@F@')!);", F=f))
    b.blank()
    b.add(0, "url += `?${params.toString()}`;")
    b.blank()
    b.add(0, "const response = await fetch(url, {")
    b.extend(headers_block(rng, ctx["forward_auth"]), 1)
    if rng.random() < 0.2:
        b.add(1, "cache: 'no-store',")
    b.add(0, "});")
    return b


def get_foreach(rng, ctx):
    b = Lines()
    if rng.random() < 0.6:
        b.add(0, "// Pass every filter the UI sends straight through to the backend")
    b.add(0, "const params = new URLSearchParams();")
    src = "new URL(request.url).searchParams" if ctx["request_type"] == "Request" else \
        "request.nextUrl.searchParams"
    b.add(0, sub("@S@.forEach((value: string, key: string) => {", S=src))
    b.add(1, "params.append(key, value);")
    b.add(0, "});")
    b.blank()
    b.add(0, "const response = await fetch(")
    b.add(1, sub("`${BRAIN_API_URL}/api/@A@/@R@/?${params.toString()}`,", A=ctx["area"], R=ctx["res"]))
    b.add(1, "{")
    b.extend(headers_block(rng, ctx["forward_auth"]), 2)
    b.add(1, "}")
    b.add(0, ");")
    return b


def get_inline_query(rng, ctx):
    b = Lines()
    src = "new URL(request.url).searchParams" if ctx["request_type"] == "Request" else \
        "request.nextUrl.searchParams"
    b.add(0, sub("const requested = @S@.get('period') || '30d';", S=src))
    b.add(0, "const period = ALLOWED_PERIODS.includes(requested) ? requested : '30d';")
    b.blank()
    b.add(0, sub("const response = await fetch(`${BRAIN_API_URL}/api/@A@/@R@/?period=${period}`, {",
                 A=ctx["area"], R=ctx["res"]))
    b.extend(headers_block(rng, ctx["forward_auth"]), 1)
    if rng.random() < 0.4:
        b.add(1, "cache: 'no-store',")
    b.add(0, "});")
    ctx["needs_periods"] = True
    return b


def get_no_query(rng, ctx):
    b = Lines()
    if rng.random() < 0.5:
        b.add(0, sub("const response = await fetch(`${BRAIN_API_URL}/api/@A@/@R@/`);",
                     A=ctx["area"], R=ctx["res"]))
    else:
        b.add(0, sub("const response = await fetch(`${BRAIN_API_URL}/api/@A@/@R@/`, {",
                     A=ctx["area"], R=ctx["res"]))
        b.extend(headers_block(rng, ctx["forward_auth"]), 1)
        b.add(0, "});")
    return b


def get_new_url(rng, ctx):
    b = Lines()
    b.add(0, sub("const url = new URL(`${BRAIN_API_URL}/api/@A@/@R@/`);", A=ctx["area"], R=ctx["res"]))
    src = "new URL(request.url).searchParams" if ctx["request_type"] == "Request" else \
        "request.nextUrl.searchParams"
    for f in rng.sample(FILTERS, rng.randint(1, 3)):
        var = f.replace("_", "")
        b.add(0, sub("const @V@ = @S@.get('@F@');", V=var, S=src, F=f))
        b.add(0, sub("if (@V@) url.searchParams.set('@F@', @V@);", V=var, F=f))
    b.blank()
    b.add(0, "const response = await fetch(url, {")
    b.extend(headers_block(rng, ctx["forward_auth"]), 1)
    b.add(0, "});")
    return b


def get_dynamic(rng, ctx):
    b = Lines()
    b.add(0, sub("const response = await fetch(`${BRAIN_API_URL}/api/@A@/@R@/${params.id}/`, {",
                 A=ctx["area"], R=ctx["res"]))
    b.extend(headers_block(rng, ctx["forward_auth"]), 1)
    b.add(0, "});")
    return b


def get_revalidate(rng, ctx):
    # A GET that chose Next's cache: routeauth reports it rather than overwriting it.
    b = Lines()
    b.add(0, sub("const response = await fetch(`${BRAIN_API_URL}/api/@A@/@R@/summary/`, {",
                 A=ctx["area"], R=ctx["res"]))
    b.extend(headers_block(rng, ctx["forward_auth"]), 1)
    b.add(1, "next: { revalidate: 60 },")
    b.add(0, "});")
    return b


GET_SHAPES = [  # (name, weight, builder, needs request, dynamic)
    ("get-let-url", 30, get_let_url, True, False),
    ("get-foreach", 12, get_foreach, True, False),
    ("get-inline-query", 12, get_inline_query, True, False),
    ("get-no-query", 14, get_no_query, False, False),
    ("get-new-url", 12, get_new_url, True, False),
    ("get-dynamic", 14, get_dynamic, False, True),
    ("get-revalidate", 3, get_revalidate, False, False),
]


def mutation(rng, ctx, method):
    b = Lines()
    dynamic = ctx["dynamic"]
    has_body = method != "DELETE"
    destructure = method == "PUT" and not dynamic and rng.random() < 0.5
    if has_body:
        if destructure:
            b.add(0, "const { id, ...body } = await request.json();")
            b.blank()
            b.add(0, "if (!id) {")
            b.add(1, "return NextResponse.json({ error: 'id is required' }, { status: 400 });")
            b.add(0, "}")
        else:
            b.add(0, "const body = await request.json();")
        b.blank()
    if dynamic:
        path = "`${BRAIN_API_URL}/api/@A@/@R@/${params.id}/`"
    elif destructure:
        path = "`${BRAIN_API_URL}/api/@A@/@R@/${id}/`"
    else:
        path = "`${BRAIN_API_URL}/api/@A@/@R@/`"
    b.add(0, sub("const response = await fetch(" + path + ", {", A=ctx["area"], R=ctx["res"]))
    b.add(1, "method: '%s'," % method)
    b.extend(headers_block(rng, ctx["forward_auth"]), 1)
    if has_body:
        b.add(1, "body: JSON.stringify(body),")
    b.add(0, "});")
    return b


def third_party(rng, ctx):
    env, name = rng.choice(THIRD_PARTY)
    b = Lines()
    b.blank()
    b.add(0, "// Tell the team (third party: it must never receive the user's token)".replace("'", ""))
    b.add(0, "if (process.env.%s) {" % env)
    b.add(1, "await fetch(process.env.%s, {" % env)
    b.add(2, "method: 'POST',")
    b.add(2, "headers: { 'Content-Type': 'application/json' },")
    b.add(2, sub("body: JSON.stringify({ text: `@R@ changed in @N@` }),", R=ctx["res"], N=name))
    b.add(1, "});")
    b.add(0, "}")
    return b


# ---- handlers -------------------------------------------------------------------------------------

def signature(ctx, needs_request, dynamic):
    req = "%s: %s" % (ctx["request_name"], ctx["request_type"])
    if dynamic:
        return "%s, { params }: { params: { id: string } }" % req
    if not needs_request and not ctx["forward_auth"] and ctx["drop_request"]:
        return ""
    return req


def wrap_handler(rng, form, method, sig, body, use_try, ctx):
    """A whole handler (Lines at depth 0) of the given form around body + tails."""
    inner = Lines()
    if use_try:
        inner.add(0, "try {")
        inner.extend(body, 1)
        inner.add(0, "}")
        # catch_tail starts with "} catch", so drop the closing brace just added.
        inner.items.pop()
        inner.extend(catch_tail(rng, ctx["res"], ctx["verb"], ctx["fallback"]), 0)
    else:
        inner.extend(body, 0)
    if ctx["request_name"] != "request":
        inner.items = [(d, t.replace("request.", ctx["request_name"] + ".")) for d, t in inner.items]
    h = Lines()
    if form == "function":
        h.add(0, "export async function %s(%s) {" % (method, sig))
        h.extend(inner, 1)
        h.add(0, "}")
    elif form == "arrow":
        h.add(0, "export const %s = async (%s) => {" % (method, sig))
        h.extend(inner, 1)
        h.add(0, "};")
    elif form == "wrapped":
        h.add(0, "export const %s = %s(async (%s) => {" % (method, ctx["wrapper"], sig))
        h.extend(inner, 1)
        h.add(0, "});")
    else:  # export clause
        local = "handle" + method.capitalize()
        h.add(0, "async function %s(%s) {" % (local, sig))
        h.extend(inner, 1)
        h.add(0, "}")
        ctx["clauses"].append("%s as %s" % (local, method))
    return h


def pick_form(rng):
    r = rng.random()
    if r < 0.62:
        return "function"
    if r < 0.78:
        return "arrow"
    if r < 0.90:
        return "wrapped"
    return "clause"


def make_get(rng, ctx, shape):
    name, _, builder, needs_request, dynamic = shape
    ctx["verb"] = "fetch"
    ctx["fallback"] = rng.random() < 0.1
    work = builder(rng, ctx)
    if rng.random() < 0.08:  # a third party next to the backend, in a GET
        work.extend(third_party(rng, ctx))
    work.extend(response_tail(rng, ctx["res"], "fetch"))
    sig = signature(ctx, needs_request, dynamic)
    return wrap_handler(rng, ctx["form"](), "GET", sig, work, ctx["use_try"], ctx)


def make_mutation(rng, ctx, method):
    verb = {"POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}[method]
    ctx["verb"] = verb
    ctx["fallback"] = False
    work = mutation(rng, ctx, method)
    # The third party call goes after the backend response is read.
    tail = response_tail(rng, ctx["res"], verb, 201 if method == "POST" else None)
    if method == "POST" and rng.random() < 0.25:
        last = tail.items.pop()
        tail.extend(third_party(rng, ctx))
        tail.blank()
        tail.items.append(last)
    work.extend(tail)
    sig = "%s: %s" % (ctx["request_name"], ctx["request_type"])
    if ctx["dynamic"]:
        sig += ", { params }: { params: { id: string } }"
    return wrap_handler(rng, ctx["form"](), method, sig, work, ctx["use_try"], ctx)


# ---- files without a backend fetch ---------------------------------------------------------------

def no_backend_handlers(rng, ctx):
    kind = rng.choice(["health", "static", "github"])
    h = Lines()
    if kind == "health":
        h.add(0, "export async function GET() {")
        h.add(1, "return NextResponse.json({")
        h.add(2, "status: 'ok',")
        h.add(2, "uptime: process.uptime(),")
        h.add(2, "timestamp: new Date().toISOString(),")
        h.add(1, "});")
        h.add(0, "}")
    elif kind == "static":
        h.add(0, "const OPTIONS = [")
        for f in rng.sample(FILTERS, 5):
            h.add(1, sub("{ value: '@F@', label: '@L@' },", F=f, L=f.replace("_", " ").title()))
        h.add(0, "];")
        h.blank()
        h.add(0, "export async function GET(request: NextRequest) {")
        h.add(1, "const q = request.nextUrl.searchParams.get('q')?.toLowerCase() ?? '';")
        h.add(1, "const matches = OPTIONS.filter((o) => o.label.toLowerCase().includes(q));")
        h.add(1, "return NextResponse.json({ results: matches, count: matches.length });")
        h.add(0, "}")
    else:
        h.add(0, "export async function GET(request: NextRequest) {")
        h.add(1, "const repo = request.nextUrl.searchParams.get('repo') || 'vercel/next.js';")
        h.add(1, "const response = await fetch(`https://api.github.com/repos/${repo}/releases`, {")
        h.add(2, "headers: { 'Accept': 'application/vnd.github+json' },")
        h.add(2, "next: { revalidate: 3600 },")
        h.add(1, "});")
        h.add(1, "if (!response.ok) {")
        h.add(2, "return NextResponse.json({ error: 'Upstream error' }, { status: 502 });")
        h.add(1, "}")
        h.add(1, "return NextResponse.json(await response.json());")
        h.add(0, "}")
    return kind, h


# ---- padding --------------------------------------------------------------------------------------

def next_id(ctx):
    ctx["ids"] += 1
    return ctx["ids"]


def pad_interface(rng, ctx):
    name = "".join(p.capitalize() for p in ctx["res"].split("-")) + rng.choice(
        ["", "Summary", "Row", "Payload", "Filters", "Detail"]) + str(next_id(ctx))
    p = Lines()
    if rng.random() < 0.5:
        p.add(0, "/** %s */" % words(rng, rng.randint(5, 12)).capitalize())
    p.add(0, "interface %s {" % name)
    for f in rng.sample(FIELD_NAMES, rng.randint(4, 10)):
        opt = "?" if rng.random() < 0.3 else ""
        p.add(1, "%s%s: %s;" % (f, opt, rng.choice(FIELD_TYPES)))
    p.add(0, "}")
    return "top", p


def pad_type(rng, ctx):
    p = Lines()
    name = rng.choice(["SortKey", "StatusFilter", "Ordering", "Channel", "Stage"]) + str(next_id(ctx))
    values = " | ".join("'%s'" % v for v in rng.sample(FILTERS, rng.randint(3, 6)))
    p.add(0, "type %s = %s;" % (name, values))
    return "top", p


def pad_helper(rng, ctx):
    p = Lines()
    kind = rng.randint(0, 3)
    n = next_id(ctx)
    if kind == 0:
        p.add(0, "function toPositiveInt%d(value: string | null, fallback: number): number {" % n)
        p.add(1, "const parsed = Number.parseInt(value ?? '', 10);")
        p.add(1, "return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;")
        p.add(0, "}")
    elif kind == 1:
        p.add(0, "function formatAmount%d(cents: number, currency = 'USD'): string {" % n)
        p.add(1, "return new Intl.NumberFormat('en-US', {")
        p.add(2, "style: 'currency',")
        p.add(2, "currency,")
        p.add(1, "}).format(cents / 100);")
        p.add(0, "}")
    elif kind == 2:
        p.add(0, "function pickDefined%d<T extends Record<string, unknown>>(input: T): Partial<T> {" % n)
        p.add(1, "const out: Partial<T> = {};")
        p.add(1, "for (const key of Object.keys(input) as Array<keyof T>) {")
        p.add(2, "if (input[key] !== undefined && input[key] !== null) {")
        p.add(3, "out[key] = input[key];")
        p.add(2, "}")
        p.add(1, "}")
        p.add(1, "return out;")
        p.add(0, "}")
    else:
        p.add(0, "const isoDate%d = (value: unknown): string | undefined => {" % n)
        p.add(1, "if (typeof value !== 'string') return undefined;")
        p.add(1, "const date = new Date(value);")
        p.add(1, "return Number.isNaN(date.getTime()) ? undefined : date.toISOString();")
        p.add(0, "};")
    return "bottom", p


def pad_comment(rng, ctx):
    p = Lines()
    p.add(0, "/**")
    for _ in range(rng.randint(2, 6)):
        p.add(0, " * " + words(rng, rng.randint(8, 14)))
    p.add(0, " */")
    return rng.choice(["top", "bottom"]), p


def pad_const(rng, ctx):
    p = Lines()
    p.add(0, "const %s_LABELS%d: Record<string, string> = {" % (ctx["res"].upper().replace("-", "_"),
                                                               next_id(ctx)))
    for f in rng.sample(FILTERS, rng.randint(3, 7)):
        p.add(1, "%s: '%s'," % (f, f.replace("_", " ").capitalize()))
    p.add(0, "};")
    return "top", p


PADDERS = [pad_interface, pad_interface, pad_type, pad_helper, pad_helper, pad_comment, pad_const]


# ---- files ----------------------------------------------------------------------------------------

def weighted(rng, table):
    total = sum(row[1] for row in table)
    r = rng.uniform(0, total)
    for row in table:
        r -= row[1]
        if r <= 0:
            return row
    return table[-1]


def assemble(ctx, header, top, handlers, bottom, clauses, style):
    doc = Lines()
    doc.extend(header)
    for part in top:
        doc.blank()
        doc.extend(part)
    for h in handlers:
        doc.blank()
        doc.extend(h)
    for part in bottom:
        doc.blank()
        doc.extend(part)
    if clauses:
        doc.blank()
        doc.add(0, "export { %s };" % ", ".join(clauses))
    return render(doc, style)


def generate_file(seed, k):
    # A file whose one handler alone is over the maximum (rare: long query building in 4-space
    # CRLF style) is drawn again from the next sub-seed; attempt 0 is the plain (seed, k).
    for attempt in range(20):
        made = draw_file(seed, k, attempt)
        if made is not None:
            return made
    raise SystemExit("generate.py: file %d stays over %d bytes; fix the generator" % (k, MAX_SIZE))


def draw_file(seed, k, attempt):
    key = "routeauth-bench:%d:%d" % (seed, k) + (":%d" % attempt if attempt else "")
    rng = random.Random(key)
    style = Style(rng)
    area = rng.choice(sorted(AREAS))
    res = rng.choice(AREAS[area])
    target = rng.randint(MIN_SIZE, MAX_SIZE)
    ctx = {
        "area": area, "res": res,
        "request_name": "req" if rng.random() < 0.1 else "request",
        "request_type": "Request" if rng.random() < 0.1 else "NextRequest",
        "drop_request": rng.random() < 0.5,
        "forward_auth": False,
        "dynamic": False,
        "use_try": rng.random() < 0.9,
        "wrapper": rng.choice(WRAPPERS),
        "clauses": [],
        "needs_periods": False,
        "uses_wrapper": False,
        "ids": 0,
    }

    def form():
        f = pick_form(rng) if k != 0 else "function"
        if f == "wrapped":
            ctx["uses_wrapper"] = True
        return f
    ctx["form"] = form

    if k != 0 and rng.random() < 0.07:
        shape, handler = no_backend_handlers(rng, ctx)
        handlers = [handler]
        shapes = ["no-backend-" + shape]
        backend_const = rng.random() < 0.5
    else:
        backend_const = True
        handlers = []
        shapes = []
        # File 0 is the fixed 1-file benchmark case: the guide's GET plus a POST.
        get_shape = GET_SHAPES[0] if k == 0 else weighted(rng, GET_SHAPES)
        ctx["dynamic"] = get_shape[4]
        extra = ["POST", "PUT", "PATCH", "DELETE"] if not ctx["dynamic"] else ["PUT", "PATCH", "DELETE"]
        rng.shuffle(extra)
        if k == 0:
            methods = ["GET", "POST"]
        elif rng.random() < 0.12:
            methods = extra  # a mutation-only route
        else:
            methods = ["GET"] + extra
        # Bigger files hold more handlers: add them while the handlers fill less than ~60 % of
        # the target size (the rest is imports, types, helpers and comments).
        core = 400
        for m in methods:
            if handlers and (core >= 0.6 * target or k == 0 and len(handlers) == 2):
                break
            ctx["forward_auth"] = m != "GET" and rng.random() < 0.35 or m == "GET" and rng.random() < 0.08
            if m == "GET":
                handlers.append(make_get(rng, ctx, get_shape))
                shapes.append(get_shape[0])
            else:
                handlers.append(make_mutation(rng, ctx, m))
                shapes.append(m.lower() + ("-dynamic" if ctx["dynamic"] else ""))
            core += len(render(handlers[-1], style)) + 1

    header = Lines()
    if rng.random() < 0.15:
        header.add(0, "// " + words(rng, rng.randint(6, 12)))
    header.add(0, "import { NextRequest, NextResponse } from 'next/server';")
    if ctx["uses_wrapper"]:
        header.add(0, "import { %s } from '@/lib/api/handlers';" % ctx["wrapper"])
    if rng.random() < 0.2:
        header.add(0, "import type { %s } from '@/types/%s';" % (
            "".join(p.capitalize() for p in res.split("-")), area))
    if backend_const:
        header.blank()
        header.add(0, "const BRAIN_API_URL = process.env.BRAIN_API_URL || 'http://localhost:8000';")
    if ctx["needs_periods"]:
        header.blank()
        header.add(0, "const ALLOWED_PERIODS = %s;" % str(PERIODS).replace('"', "'"))
    if rng.random() < 0.2:
        header.blank()
        header.add(0, "export const dynamic = 'force-dynamic';")

    # Too big for the target with every handler: drop trailing handlers (keep at least one).
    while len(handlers) > 1 and len(assemble(ctx, header, [], handlers, [], ctx["clauses"], style)) > target:
        handlers.pop()
        shapes.pop()
        # Drop the clause the dropped handler added, if any.
        ctx["clauses"] = [c for c in ctx["clauses"]
                          if any(("async function " + c.split(" as ")[0] + "(") in t
                                 for h in handlers for _, t in h.items)]

    # Pad with types, helpers and comments up to the target. A piece adds its own rendered
    # length plus the blank line before it, so the length is kept without re-rendering.
    top, bottom = [], []
    eol_len = 2 if style.crlf else 1
    length = len(assemble(ctx, header, top, handlers, bottom, ctx["clauses"], style))
    misses = 0
    while misses < 6:
        where, piece = rng.choice(PADDERS)(rng, ctx)
        grow = len(render(piece, style)) + eol_len
        if length + grow <= target:
            (top if where == "top" else bottom).append(piece)
            length += grow
            misses = 0
        else:
            misses += 1
    # Top up with comment lines to within a line of the target, and never below the minimum.
    while length < max(target - 40, MIN_SIZE):
        c = Lines().add(0, "// " + words(rng, rng.randint(4, 9)))
        bottom.append(c)
        length += len(render(c, style)) + eol_len
    text = assemble(ctx, header, top, handlers, bottom, ctx["clauses"], style)
    assert len(text) == length, (k, len(text), length)
    if len(text) > MAX_SIZE:
        return None
    return text, shapes, style


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", "-n", type=int, required=True, help="number of route files")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("--out", "-o", required=True, help="output folder (the app root)")
    ap.add_argument("--git", action="store_true", help="git init <out> and commit the files")
    ap.add_argument("--force", action="store_true", help="remove <out> first if it exists")
    ap.add_argument("--stats", action="store_true", help="print the summary as JSON on stdout")
    args = ap.parse_args()

    if os.path.exists(args.out):
        if not args.force:
            sys.exit("generate.py: %s exists (use --force to replace it)" % args.out)
        shutil.rmtree(args.out)
    total = 0
    sizes = []
    shape_counts = {}
    style_counts = {"double_quotes": 0, "no_semicolons": 0, "four_spaces": 0, "crlf": 0}
    for k in range(args.count):
        text, shapes, style = generate_file(args.seed, k)
        data = text.encode("utf-8")
        folder = os.path.join(args.out, "app", "api", "gen", str(k))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "route.ts"), "wb") as f:
            f.write(data)
        total += len(data)
        sizes.append(len(data))
        for s in shapes:
            shape_counts[s] = shape_counts.get(s, 0) + 1
        style_counts["double_quotes"] += style.quote == '"'
        style_counts["no_semicolons"] += not style.semi
        style_counts["four_spaces"] += style.indent == "    "
        style_counts["crlf"] += style.crlf

    if args.git:
        env = dict(os.environ, GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
                   GIT_COMMITTER_DATE="2024-01-01T00:00:00Z")
        git = ["git", "-c", "user.name=routeauth-bench", "-c", "user.email=bench@routeauth.invalid",
               "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-C", args.out]
        subprocess.run(git + ["init", "-q"], check=True, env=env)
        subprocess.run(git + ["add", "-A"], check=True, env=env)
        subprocess.run(git + ["commit", "-q", "-m", "generated routes (seed %d, %d files)"
                              % (args.seed, args.count)], check=True, env=env)

    stats = {
        "files": args.count, "seed": args.seed, "bytes": total,
        "min_size": min(sizes) if sizes else 0, "max_size": max(sizes) if sizes else 0,
        "mean_size": round(total / len(sizes)) if sizes else 0,
        "handlers": dict(sorted(shape_counts.items())), "styles": style_counts,
    }
    print("generate.py: %d files, %d bytes (%d-%d, mean %d) in %s"
          % (args.count, total, stats["min_size"], stats["max_size"], stats["mean_size"],
             args.out), file=sys.stderr)
    if args.stats:
        print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
