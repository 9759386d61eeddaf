// Header builders (issue 13 point 3): the imported functions whose result a backend fetch sends as
// its headers, found in the model (engine/header_builders.h) and named with their module by
// `report` in every format.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_support.h"
#include "engine/config.h"
#include "engine/header_builders.h"
#include "engine/route_model.h"
#include "engine/source.h"
#include "engine/syntax.h"

namespace {

using namespace routeauth::engine;

std::vector<std::string> builders_of(const std::string& body) {
  const std::string text =
      "import { headers as nextHeaders } from 'next/headers'\n"
      "import { getBackendHeaders, authHeaderFromCookie as cookieAuth } from '@/lib/api/backend-headers'\n"
      "import jsonHeaders from '../../lib/json-headers'\n"
      "import type { Maker } from '@/lib/types'\n"
      "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
      "export async function POST(request: Request) {\n" +
      body + "}\n";
  const SourceFile file("app/api/x/route.ts", text);
  Parser parser;
  const Tree tree = parser.parse(file);
  const Config config;  // the backend: BRAIN_API_URL
  const RouteFile route = build_route_model(file, tree.root(), config);
  std::vector<std::string> out;
  for (const auto& h : route.handlers) {
    for (const auto& b : header_builders(route, h)) out.push_back(b.name + " " + b.specifier);
  }
  return out;
}

using Names = std::vector<std::string>;

TEST(HeaderBuilders, ACallSentAsTheHeadersDirectlyOrThroughALocal) {
  EXPECT_EQ(builders_of("  return fetch(`${BRAIN_API_URL}/a`, { headers: await getBackendHeaders(request) })\n"),
            Names{"getBackendHeaders @/lib/api/backend-headers"});
  EXPECT_EQ(builders_of("  const headers = await getBackendHeaders(request)\n"
                        "  return fetch(`${BRAIN_API_URL}/a`, { method: 'POST', headers })\n"),
            Names{"getBackendHeaders @/lib/api/backend-headers"});
  // Under its exported name, through an alias; a default import by its local name.
  EXPECT_EQ(builders_of("  const h = cookieAuth()\n"
                        "  return fetch(`${BRAIN_API_URL}/a`, { headers: { ...h, ...jsonHeaders() } })\n"),
            (Names{"authHeaderFromCookie @/lib/api/backend-headers", "jsonHeaders ../../lib/json-headers"}));
  EXPECT_EQ(builders_of("  return fetch(`${BRAIN_API_URL}/a`, { 'headers': new Headers(getBackendHeaders(request)) })\n"),
            Names{"getBackendHeaders @/lib/api/backend-headers"});
}

TEST(HeaderBuilders, NotAPackageNotAnotherHostNotAfterTheFetch) {
  // next/headers is a package, not the project's builder.
  EXPECT_EQ(builders_of("  return fetch(`${BRAIN_API_URL}/a`, { headers: await nextHeaders() })\n"), Names{});
  // The builder's result goes to a third party, not the backend.
  EXPECT_EQ(builders_of("  return fetch('https://api.stripe.com/v1/x', { headers: getBackendHeaders(request) })\n"),
            Names{});
  // Built, but not what the fetch sends: the local the fetch reads was declared before it.
  EXPECT_EQ(builders_of("  const headers = { 'Content-Type': 'application/json' }\n"
                        "  const r = await fetch(`${BRAIN_API_URL}/a`, { headers })\n"
                        "  const unused = getBackendHeaders(request)\n"
                        "  return r\n"),
            Names{});
  // A value of the builder's module that is not called is not a builder call.
  EXPECT_EQ(builders_of("  return fetch(`${BRAIN_API_URL}/a`, { headers: getBackendHeaders })\n"), Names{});
}

}  // namespace

namespace {

using namespace routeauth::testing::cli;

TEST(HeaderBuilders, ReportNamesEachBuilderWithItsModuleInEveryFormat) {
  ScratchProject p;
  p.write("tsconfig.json", R"({ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } })");
  p.write("src/lib/api/backend-headers.ts",
          "export async function getBackendHeaders(request: Request) {\n"
          "  const token = request.headers.get('cookie')?.match(/token=([^;]+)/)?.[1]\n"
          "  return token ? { Authorization: `Bearer ${token}` } : {}\n"
          "}\n");
  for (const char* route : {"src/app/api/a/route.ts", "src/app/api/b/route.ts"}) {
    p.write(route,
            "import { getBackendHeaders } from '@/lib/api/backend-headers'\n"
            "import { missingBuilder } from '@/lib/not-there'\n"
            "export async function GET(request: Request) {\n"
            "  const headers = await getBackendHeaders(request)\n"
            "  return fetch(`${process.env.API_URL}/a/`, { headers: { ...headers, ...missingBuilder() } })\n"
            "}\n");
  }
  const Result table = p.run("report .");
  EXPECT_EQ(table.status, 0) << table.err;
  EXPECT_TRUE(has(table.out, "Header builders:\n  2 routes send the headers getBackendHeaders (src/lib/api/backend-headers.ts) "
                             "builds: what it sends stays the fallback when there is no session"))
      << table.out;
  // An import that resolves to no file is named as written.
  EXPECT_TRUE(has(table.out, "2 routes send the headers missingBuilder (@/lib/not-there) builds")) << table.out;
  const Result markdown = p.run("report --format markdown .");
  EXPECT_TRUE(has(markdown.out, "### Header builders\n- 2 routes send the headers getBackendHeaders")) << markdown.out;
  const Result json = p.run("report --format json .");
  EXPECT_TRUE(has(json.out, R"x("builder": "getBackendHeaders (src/lib/api/backend-headers.ts)")x")) << json.out;
  EXPECT_TRUE(has(json.out, R"x("header_builders": [)x")) << json.out;
}

}  // namespace
