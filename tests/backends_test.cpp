// Backend inference (issue 13) and URL-prefix backends (issue 14), through the real binary on
// small projects: with no configured backends, the fetches built from the project's own env-derived
// bases are found and migrated; own-origin, third-party and literal hosts are never touched. The summaries (issue 13): "compliant" only for routes with backend calls.
#include <gtest/gtest.h>

#include "cli_support.h"
#include "engine/backends.h"
#include "engine/config.h"

namespace {

using namespace routeauth::testing::cli;

// An env var under a name of the project's own, next to own-origin and third-party fetches.
const char* kEnvRoute =
    "import { NextRequest, NextResponse } from 'next/server'\n"
    "\n"
    "export async function POST(request: NextRequest) {\n"
    "  const body = await request.json()\n"
    "  await fetch(`${process.env.NEXTAUTH_URL}/api/audit`, { method: 'POST', body: JSON.stringify(body) })\n"
    "  await fetch('https://api.stripe.com/v1/charges', { method: 'POST', body: JSON.stringify(body) })\n"
    "  const response = await fetch(`${process.env.DJANGO_API_URL}/orders/`, {\n"
    "    method: 'POST',\n"
    "    headers: { 'Content-Type': 'application/json' },\n"
    "    body: JSON.stringify(body),\n"
    "  })\n"
    "  return NextResponse.json(await response.json())\n"
    "}\n";

TEST(Backends, AnEnvVarOfAnyNameIsInferredAndOnlyItsFetchGetsTheToken) {
  ScratchProject p;
  p.write("app/api/orders/route.ts", kEnvRoute);
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 1) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "backends inferred: process.env.DJANGO_API_URL")) << check.err;
  EXPECT_FALSE(has(check.err, "NEXTAUTH_URL")) << check.err;
  EXPECT_TRUE(has(check.out, "app/api/orders/route.ts:7:26: error: backend fetch does not send")) << check.out;
  EXPECT_FALSE(has(check.out, "already compliant")) << check.out;

  const Result apply = p.run("apply .");
  EXPECT_EQ(apply.status, 0) << apply.out << apply.err;  // everything fixable was fixed
  const std::string after = p.read("app/api/orders/route.ts");
  EXPECT_TRUE(has(after, "const session = await getServerSession(authOptions)")) << after;
  // The own-origin and third-party fetches are byte for byte what they were.
  EXPECT_TRUE(has(after, "  await fetch(`${process.env.NEXTAUTH_URL}/api/audit`, { method: 'POST', body: JSON.stringify(body) })\n"));
  EXPECT_TRUE(has(after, "  await fetch('https://api.stripe.com/v1/charges', { method: 'POST', body: JSON.stringify(body) })\n"));
  EXPECT_EQ(p.run("check .").status, 0) << p.run("check .").out;
}

TEST(Backends, AnImportedConstantAndAnImportedUrlBuilderAreInferred) {
  ScratchProject p;
  p.write("utils/server/api.ts",
          "export const baseurl = process.env.SERVER_URL ?? 'http://localhost:8000'\n"
          "export function backendUrl(path: string) { return `${process.env.SERVER_URL}${path}` }\n");
  p.write("app/api/a/route.ts",
          "import { baseurl } from '@/utils/server/api'\n"
          "export async function DELETE(request: Request) {\n"
          "  return fetch(`${baseurl}/a/`, { method: 'DELETE' })\n"
          "}\n");
  p.write("app/api/b/route.ts",
          "import { backendUrl } from '../../../utils/server/api'\n"
          "export async function DELETE(request: Request) {\n"
          "  return fetch(backendUrl('/b/'), { method: 'DELETE' })\n"
          "}\n");
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 1) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "baseurl")) << check.err;
  EXPECT_TRUE(has(check.err, "backendUrl()")) << check.err;
  EXPECT_TRUE(has(check.out, "app/api/a/route.ts:3:10: error: backend fetch does not send")) << check.out;
  EXPECT_TRUE(has(check.out, "app/api/b/route.ts:3:10: error: backend fetch does not send")) << check.out;
}

// Counts the work (issue 17): the inference parses each route once, and only the modules routes
// import besides; the route's own URL builder is looked up in the route's parse, not a second one.
TEST(Backends, InferenceParsesEachRouteOnceAndOnlyTheImportedModulesBesides) {
  ScratchProject p;
  p.write("lib/api.ts", "export const baseurl = process.env.SERVER_URL\n");
  p.write("app/api/a/route.ts",
          "import { baseurl } from '@/lib/api'\n"
          "const base = process.env.ORDERS_URL\n"
          "function ordersUrl(path: string) { return `${base}${path}` }\n"
          "export async function GET(request: Request) {\n"
          "  await fetch(ordersUrl('/x/'))\n"
          "  return fetch(`${baseurl}/a/`)\n"
          "}\n");
  const std::string route = (p.root() / "app/api/a/route.ts").string();
  const auto inference = routeauth::engine::infer_backends(p.root().string(), {route}, routeauth::engine::Config{});
  EXPECT_EQ(inference.route_files, 1u);
  EXPECT_EQ(inference.modules_parsed, 1u);  // lib/api.ts
  std::vector<std::string> bases;
  for (const auto& b : inference.accepted) bases.push_back(b.base);
  EXPECT_EQ(bases, (std::vector<std::string>{"baseurl", "ordersUrl()"}));
}

TEST(Backends, AConfiguredListTurnsInferenceOff) {
  ScratchProject p;
  p.write("app/api/orders/route.ts", kEnvRoute);
  p.write("routeauth.json", R"({ "backends": ["BRAIN_API_URL"] })");
  const Result check = p.run("check .");
  EXPECT_FALSE(has(check.err, "backends inferred")) << check.err;
  EXPECT_EQ(check.status, 0) << check.out;
}

TEST(Backends, AUrlPrefixIsABackendAtAPathBoundaryWithSchemeAndHostCaseInsensitive) {
  ScratchProject p;
  p.write("app/api/shop/route.ts",
          "export async function POST(request: Request) {\n"
          "  await fetch('HTTPS://API.Example-Shop.com/api/orders', { method: 'POST' })\n"
          "  await fetch(`https://api.example-shop.com/api/orders/${1}`, { method: 'POST' })\n"
          "  await fetch('https://api.example-shop.com/apiv2/orders', { method: 'POST' })\n"
          "  await fetch('https://api.example-shop.com.evil.test/api/orders', { method: 'POST' })\n"
          "  return new Response('')\n"
          "}\n");
  const Result check = p.run("check --backend https://api.example-shop.com/api .");
  EXPECT_TRUE(has(check.out, "app/api/shop/route.ts:2:9: error: backend fetch does not send")) << check.out;
  EXPECT_TRUE(has(check.out, "app/api/shop/route.ts:3:9: error: backend fetch does not send")) << check.out;
  EXPECT_FALSE(has(check.out, "route.ts:4:9: error: backend fetch")) << check.out;
  EXPECT_FALSE(has(check.out, "route.ts:5:9: error: backend fetch")) << check.out;
}

// Issue 13 point 2: a route without a backend call is never "compliant"; a run that finds no
// backend call at all says so, what it looked for, and how to name the backend.
// A server of the project's own named by a literal (localhost, a loopback or private address, a
// compose service) is a backend; the app's own port (3000, or `next dev -p`) is its own origin; a
// public host stays a third party.
TEST(Backends, ALocalServerLiteralIsABackendButTheAppsOwnPortIsNot) {
  ScratchProject p;
  p.write("package.json", R"({ "scripts": { "dev": "next dev -p 4000" } })");
  p.write("app/api/books/route.ts",
          "export async function DELETE(request: Request) {\n"
          "  await fetch('http://localhost:4000/api/audit', { method: 'POST' })\n"
          "  await fetch('https://api.example-shop.com/orders', { method: 'POST' })\n"
          "  return fetch('http://127.0.0.1:5001/books/', { method: 'DELETE' })\n"
          "}\n");
  p.write("app/api/items/route.ts",
          "const DJANGO = 'http://backend:8000'\n"
          "export async function DELETE(request: Request) {\n"
          "  return fetch(`${DJANGO}/items/`, { method: 'DELETE' })\n"
          "}\n");
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 1) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "backends inferred: ")) << check.err;
  EXPECT_TRUE(has(check.err, "http://127.0.0.1:5001 (")) << check.err;
  EXPECT_TRUE(has(check.err, "http://backend:8000 (")) << check.err;
  EXPECT_FALSE(has(check.err, "localhost:4000")) << check.err;
  EXPECT_FALSE(has(check.err, "example-shop")) << check.err;
  EXPECT_TRUE(has(check.out, "app/api/books/route.ts:4:10: error: backend fetch does not send")) << check.out;
  EXPECT_FALSE(has(check.out, "app/api/books/route.ts:2:")) << check.out;
  EXPECT_FALSE(has(check.out, "app/api/books/route.ts:3:")) << check.out;
  EXPECT_TRUE(has(check.out, "app/api/items/route.ts:3:10: error: backend fetch does not send")) << check.out;

  const Result init = p.run("init .");
  EXPECT_EQ(init.status, 0) << init.err;
  const std::string config = p.read("routeauth.json");
  EXPECT_TRUE(has(config, R"("backends": ["http://127.0.0.1:5001", "http://backend:8000"])")) << config;
  EXPECT_TRUE(has(config, "//   http://127.0.0.1:5001: 1 fetch in 1 file, first at app/api/books/route.ts:4; a local server named in the route")) << config;
  EXPECT_TRUE(has(config, "//   not taken: http://localhost:4000 (1 fetch): the app's own origin (port 4000)")) << config;
}

// An env var with a literal fallback is the env var's backend, not the literal's.
TEST(Backends, AnEnvVarWinsOverItsLocalFallback) {
  ScratchProject p;
  p.write("app/api/a/route.ts",
          "const BACKEND_URL = process.env.BACKEND_URL || 'http://localhost:3001'\n"
          "export async function DELETE(request: Request) {\n"
          "  return fetch(`${BACKEND_URL}/a`, { method: 'DELETE' })\n"
          "}\n");
  const Result check = p.run("check .");
  EXPECT_TRUE(has(check.err, "backends inferred: process.env.BACKEND_URL (1 fetch in 1 file); pin")) << check.err;
}

// init writes what inference found, each with its evidence, and the key stays commented out
// when nothing is found (inference then runs every time), never the guide's BRAIN_API_URL.
TEST(Backends, InitWritesTheInferredBackendsWithTheirEvidence) {
  ScratchProject p;
  p.write("lib/config.ts", "export const API_URL = process.env.DJANGO_API_URL\n");
  p.write("app/api/a/route.ts",
          "import { API_URL } from '@/lib/config'\n"
          "export async function DELETE(request: Request) {\n"
          "  await fetch(`${process.env.NEXTAUTH_URL}/api/x`, { method: 'POST' })\n"
          "  return fetch(`${API_URL}/a`, { method: 'DELETE' })\n"
          "}\n");
  ASSERT_EQ(p.run("init .").status, 0);
  const std::string config = p.read("routeauth.json");
  EXPECT_TRUE(has(config, R"("backends": ["API_URL"],)")) << config;
  EXPECT_TRUE(has(config, "//   API_URL: 1 fetch in 1 file, first at app/api/a/route.ts:4; process.env.DJANGO_API_URL in lib/config.ts")) << config;
  EXPECT_TRUE(has(config, "//   not taken: process.env.NEXTAUTH_URL (1 fetch): the app's own origin (NEXTAUTH)")) << config;

  ScratchProject none;
  none.write("app/api/a/route.ts", "export async function GET() { return Response.json({}) }\n");
  ASSERT_EQ(none.run("init .").status, 0);
  const std::string empty = none.read("routeauth.json");
  EXPECT_TRUE(has(empty, "//   none found among 0 fetches in 1 route file")) << empty;
  EXPECT_TRUE(has(empty, "  // \"backends\": [\"process.env.API_URL\"],")) << empty;
  EXPECT_FALSE(has(empty, "BRAIN_API_URL")) << empty;
}

// A monorepo app resolves its own tsconfig `paths` (frontend/tsconfig.json), not the repository's.
TEST(Backends, AnAppOfAMonorepoResolvesItsOwnPaths) {
  ScratchProject p;
  p.write("package.json", R"({ "private": true })");
  p.write("frontend/tsconfig.json", R"({ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } })");
  p.write("frontend/src/lib/api.ts", "export function getBackendUrl(p: string) { return `${process.env.DJANGO_API_BASE}${p}` }\n");
  p.write("frontend/src/app/api/a/route.ts",
          "import { getBackendUrl } from '@/lib/api'\n"
          "export async function DELETE(request: Request) {\n"
          "  return fetch(getBackendUrl('/a/'), { method: 'DELETE' })\n"
          "}\n");
  const Result check = p.run("check .");
  EXPECT_TRUE(has(check.err, "backends inferred: getBackendUrl() (1 fetch in 1 file); pin")) << check.err;
}

TEST(Summaries, ARouteWithoutBackendCallsIsNotCalledCompliant) {
  ScratchProject p;
  p.write("app/api/health/route.ts", "export async function GET() {\n  return Response.json({ ok: true })\n}\n");
  p.write("app/api/stripe/route.ts",
          "export async function POST(request: Request) {\n"
          "  const r = await fetch('https://api.stripe.com/v1/charges', { method: 'POST', body: await request.text() })\n"
          "  return Response.json(await r.json())\n"
          "}\n");
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 0) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "routeauth: 2 files seen, 0 to fix, 0 already compliant, 2 with no backend calls, "
                             "0 need manual review, 0 failed\n"))
      << check.err;
  EXPECT_TRUE(has(check.err, "routeauth: no route calls a backend: looked for fetch calls whose URL is built from "
                             "BRAIN_API_URL (or process.env.BRAIN_API_URL); if your routes call one, name it with "
                             "--backend"))
      << check.err;
  const Result json = p.run("check --format json .");
  EXPECT_TRUE(has(json.out, "\"compliant\": 0")) << json.out;
  EXPECT_TRUE(has(json.out, "\"no_backend_calls\": 2")) << json.out;
}

TEST(Summaries, AMigratedRouteIsCompliantAndTheNothingFoundLineStaysAway) {
  ScratchProject p;
  p.write("app/api/health/route.ts", "export async function GET() {\n  return Response.json({ ok: true })\n}\n");
  p.write("app/api/orders/route.ts", kEnvRoute);
  ASSERT_EQ(p.run("apply .").status, 0);
  const Result check = p.run("check .");
  EXPECT_TRUE(has(check.err, "2 files seen, 0 to fix, 1 already compliant, 1 with no backend calls,")) << check.err;
  EXPECT_FALSE(has(check.err, "no route calls a backend")) << check.err;
}

}  // namespace

// Backend wrappers (issue 13 point 3): a function of the project that sends the backend request
// for its callers is found without being named; each call is a manual-review finding that names
// the wrapper and its module, the route counts as calling the backend, and report groups the
// routes by wrapper.
TEST(Wrappers, AnImportedWrapperIsFoundReportedAndGrouped) {
  ScratchProject p;
  p.write("lib/proxy.ts",
          "const TARGET = process.env.API_PROXY_TARGET || 'http://localhost:5005'\n"
          "export async function proxyToBackend(request: Request) {\n"
          "  const url = new URL(request.url)\n"
          "  return fetch(`${TARGET}${url.pathname}`, { method: request.method, headers: request.headers })\n"
          "}\n");
  for (const char* route : {"app/api/a/route.ts", "app/api/b/route.ts"}) {
    p.write(route,
            "import { proxyToBackend } from '@/lib/proxy'\n"
            "export async function GET(request: Request) {\n"
            "  return proxyToBackend(request)\n"
            "}\n");
  }
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 1) << check.out << check.err;
  EXPECT_TRUE(has(check.err, "wrappers inferred: proxyToBackend (lib/proxy.ts: 2 calls in 2 files)")) << check.err;
  EXPECT_TRUE(has(check.out, "app/api/a/route.ts:3:10: error: GET calls the backend through proxyToBackend (lib/proxy.ts), "
                             "which routeauth does not rewrite")) << check.out;
  EXPECT_TRUE(has(check.err, "2 need manual review")) << check.err;
  EXPECT_TRUE(has(check.err, ", 0 with no backend calls, ")) << check.err;

  const Result report = p.run("report .");
  EXPECT_TRUE(has(report.out, "2 routes send what proxyToBackend (lib/proxy.ts) builds: migrating it there covers them all"))
      << report.out;
  const Result json = p.run("report --format json .");
  EXPECT_TRUE(has(json.out, R"x("wrapper": "proxyToBackend (lib/proxy.ts)")x")) << json.out;

  // apply leaves the calls as they are: the decision is a person's.
  const std::string before = p.read("app/api/a/route.ts");
  EXPECT_EQ(p.run("apply .").status, 1);  // manual review left
  EXPECT_EQ(p.read("app/api/a/route.ts"), before);

  ASSERT_EQ(p.run("init .").status, 0);
  const std::string config = p.read("routeauth.json");
  EXPECT_TRUE(has(config, R"({ "name": "proxyToBackend", "module": "lib/proxy.ts", "url": "own" })")) << config;
  EXPECT_TRUE(has(config, "// 2 calls in 2 files, first at app/api/a/route.ts:3")) << config;
  EXPECT_EQ(p.run("check .").status, 1);  // the written config loads and keeps the wrapper
}

// A wrapper that takes the URL from its caller: a backend call when it is handed a backend URL,
// not when it is handed a third party's (whose query carries an env key).
TEST(Wrappers, AWrapperHandedTheUrlIsABackendCallOnlyWithABackendUrl) {
  ScratchProject p;
  p.write("tsconfig.json", R"({ "compilerOptions": { "paths": { "@utils/*": ["./src/utils/*"] } } })");
  p.write("src/utils/api.ts",
          "export async function fetchApiRoutes({ url, req }: { url: string; req: Request }) {\n"
          "  const token = req.headers.get('cookie')\n"
          "  return fetch(url, { headers: { Authorization: `Bearer ${token}` } })\n"
          "}\n");
  p.write("src/app/api/posts/route.ts",
          "import { fetchApiRoutes } from '@utils/api'\n"
          "export async function GET(request: Request) {\n"
          "  return fetchApiRoutes({ url: `${process.env.NEXT_PUBLIC_BACKEND_URL}/api/posts`, req: request })\n"
          "}\n");
  p.write("src/app/api/weather/route.ts",
          "import { fetchApiRoutes } from '@utils/api'\n"
          "export async function GET(request: Request) {\n"
          "  return fetchApiRoutes({ url: `https://api.openweathermap.org/x?appid=${process.env.OPEN_WEATHER_MAP_API}`, req: request })\n"
          "}\n");
  const Result check = p.run("check .");
  EXPECT_TRUE(has(check.err, "backends inferred: process.env.NEXT_PUBLIC_BACKEND_URL (1 fetch in 1 file)")) << check.err;
  EXPECT_FALSE(has(check.err, "OPEN_WEATHER")) << check.err;
  EXPECT_TRUE(has(check.out, "src/app/api/posts/route.ts:3:10: error: GET calls the backend through fetchApiRoutes (src/utils/api.ts)"))
      << check.out;
  EXPECT_FALSE(has(check.out, "weather")) << check.out;
}

TEST(Wrappers, AMalformedWrappersKeyIsAClearError) {
  ScratchProject p;
  p.write("app/api/a/route.ts", "export async function GET() { return Response.json({}) }\n");
  p.write("routeauth.json", R"({ "wrappers": [{ "name": "proxy", "url": "sometimes" }] })");
  const Result check = p.run("check .");
  EXPECT_EQ(check.status, 2);
  EXPECT_TRUE(has(check.err, R"x("wrappers" entry proxy: "url" must be "own" or "argument")x")) << check.err;
}
