// engine::build_route_model: handler shapes, parameters, try blocks, imports, directives, and
// which fetches reach the backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/config.h"
#include "engine/query.h"
#include "engine/route_model.h"
#include "engine/source.h"
#include "engine/syntax.h"

using namespace routeauth::engine;

namespace {

// A parsed file and its model; the model borrows the file and the tree, so they live together.
struct Model {
  SourceFile file;
  Tree tree;
  RouteFile route;

  Model(const std::string& name, const std::string& text, const Config& config) : file(name, text) {
    Parser parser;
    tree = parser.parse(file);
    route = build_route_model(file, tree.root(), config);
  }
  [[nodiscard]] std::string str(TSNode node) const {
    return ts_node_is_null(node) ? "<null>" : std::string(text(file, node));
  }
  [[nodiscard]] const Handler& only_handler() const {
    if (route.handlers.size() != 1) throw std::runtime_error("expected one handler, got " + std::to_string(route.handlers.size()));
    return route.handlers.front();
  }
};

std::unique_ptr<Model> model(const std::string& text, const Config& config = {},
                             const std::string& name = "app/api/x/route.ts") {
  return std::make_unique<Model>(name, text, config);
}

std::vector<std::string> methods(const Model& m) {
  std::vector<std::string> out;
  for (const auto& h : m.route.handlers) out.push_back(h.method);
  return out;
}

// Whether each fetch of the only handler reaches the backend, in source order.
std::vector<bool> backend_flags(const std::string& text, const Config& config = {}) {
  const auto m = model(text, config);
  std::vector<bool> out;
  for (const auto& f : m->only_handler().fetches) out.push_back(f.backend);
  return out;
}

using Flags = std::vector<bool>;
using Strings = std::vector<std::string>;

// ---- handler shapes -------------------------------------------------------------------------

TEST(RouteModelHandlers, AsyncFunctionWithNextRequest) {
  const auto m = model(
      "import { NextRequest } from 'next/server'\n"
      "export async function GET(request: NextRequest) {\n"
      "  return fetch(`${BRAIN_API_URL}/x`)\n"
      "}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.shape, HandlerShape::function_declaration);
  EXPECT_EQ(m->str(h.name), "GET");
  EXPECT_EQ(type(h.function), "function_declaration");
  EXPECT_EQ(m->str(h.parameters), "(request: NextRequest)");
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].node), "request: NextRequest");
  EXPECT_EQ(m->str(h.params[0].pattern), "request");
  EXPECT_EQ(m->str(h.params[0].type), ": NextRequest");
  EXPECT_EQ(type(h.body), "statement_block");
  EXPECT_FALSE(h.expression_body());
  EXPECT_TRUE(ts_node_is_null(h.try_block));
  ASSERT_EQ(h.fetches.size(), 1u);
  EXPECT_TRUE(h.has_backend_fetch());
}

TEST(RouteModelHandlers, ParameterNameOfAnIdentifierParameter) {
  // route_model.h: Parameter::name is "empty for a destructuring pattern", i.e. the name otherwise.
  const auto m = model("export async function GET(request: NextRequest, { params }: Ctx) {}\n");
  const Handler& h = m->only_handler();
  ASSERT_EQ(h.params.size(), 2u);
  EXPECT_EQ(h.params[0].name, "request");
  EXPECT_EQ(h.params[1].name, "");
}

TEST(RouteModelHandlers, FunctionWithRequest) {
  const auto m = model("export function POST(req: Request) {\n  return new Response('ok')\n}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.shape, HandlerShape::function_declaration);
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
  EXPECT_EQ(m->str(h.params[0].type), ": Request");
  EXPECT_TRUE(h.fetches.empty());
  EXPECT_FALSE(h.has_backend_fetch());
}

TEST(RouteModelHandlers, NoParameters) {
  const auto m = model("export async function GET() {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(type(h.parameters), "formal_parameters");
  EXPECT_EQ(m->str(h.parameters), "()");
  EXPECT_TRUE(h.params.empty());
}

TEST(RouteModelHandlers, Next14ParamsObject) {
  const auto m = model(
      "export async function GET(\n"
      "  request: NextRequest,\n"
      "  { params }: { params: { id: string } }\n"
      ") {}\n");
  const Handler& h = m->only_handler();
  ASSERT_EQ(h.params.size(), 2u);
  EXPECT_EQ(m->str(h.params[0].pattern), "request");
  EXPECT_EQ(type(h.params[1].pattern), "object_pattern");
  EXPECT_EQ(m->str(h.params[1].pattern), "{ params }");
  EXPECT_EQ(m->str(h.params[1].type), ": { params: { id: string } }");
}

TEST(RouteModelHandlers, Next15PromiseParams) {
  const auto m = model(
      "export async function DELETE(req: NextRequest, { params }: { params: Promise<{ id: string }> }) {\n"
      "  const { id } = await params\n"
      "}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "DELETE");
  ASSERT_EQ(h.params.size(), 2u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
  EXPECT_EQ(type(h.params[1].pattern), "object_pattern");
  EXPECT_EQ(m->str(h.params[1].type), ": { params: Promise<{ id: string }> }");
}

TEST(RouteModelHandlers, ExportedAsyncArrow) {
  const auto m = model("export const POST = async (req) => {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.shape, HandlerShape::exported_arrow);
  EXPECT_EQ(m->str(h.name), "POST");
  EXPECT_EQ(type(h.function), "arrow_function");
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
  EXPECT_TRUE(ts_node_is_null(h.params[0].type));
  EXPECT_FALSE(h.expression_body());
  ASSERT_EQ(h.fetches.size(), 1u);
  EXPECT_TRUE(h.fetches[0].backend);
}

TEST(RouteModelHandlers, ExportedFunctionExpression) {
  const auto m = model("export const PUT = async function (req: Request) {\n}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::exported_arrow);
  EXPECT_EQ(type(h.function), "function_expression");
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
}

TEST(RouteModelHandlers, ExpressionBodiedArrow) {
  const auto m = model("export const GET = async (req: NextRequest) => fetch(`${BRAIN_API_URL}/x`)\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::exported_arrow);
  EXPECT_TRUE(h.expression_body());
  EXPECT_EQ(type(h.body), "call_expression");
  EXPECT_TRUE(ts_node_is_null(h.try_block));
  ASSERT_EQ(h.fetches.size(), 1u);
  EXPECT_TRUE(h.fetches[0].backend);
  // The expression is its own statement: nothing encloses it but the arrow.
  EXPECT_TRUE(ts_node_eq(h.fetches[0].statement, h.body));
}

TEST(RouteModelHandlers, LoneIdentifierParameter) {
  const auto m = model("export const GET = req => fetch(`${BRAIN_API_URL}/x`)\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(type(h.parameters), "identifier");
  EXPECT_EQ(m->str(h.parameters), "req");
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
}

TEST(RouteModelHandlers, WrappedArrowIsTheInnerFunction) {
  const std::string text =
      "export const GET = withAuth(async (req) => {\n"
      "  return fetch(`${BRAIN_API_URL}/x`)\n"
      "})\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::wrapped);
  EXPECT_EQ(type(h.function), "arrow_function");
  EXPECT_EQ(ts_node_start_byte(h.function), text.find("async (req)"));
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
  ASSERT_EQ(h.fetches.size(), 1u);
  EXPECT_TRUE(h.fetches[0].backend);
}

TEST(RouteModelHandlers, WrapperWithOptionsBeforeTheFunction) {
  const std::string text = "export const POST = withRole('admin', async function (req: Request) {\n})\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::wrapped);
  EXPECT_EQ(type(h.function), "function_expression");
  EXPECT_EQ(ts_node_start_byte(h.function), text.find("async function"));
}

TEST(RouteModelHandlers, NestedWrappers) {
  const std::string text =
      "export const GET = withErrors(withAuth(async (request: NextRequest) => {\n"
      "  return fetch(`${BRAIN_API_URL}/x`)\n"
      "}))\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::wrapped);
  EXPECT_EQ(ts_node_start_byte(h.function), text.find("async (request"));
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "request");
}

TEST(RouteModelHandlers, WrappedIdentifierResolvesToTheModuleFunction) {
  const std::string text =
      "async function handler(req: Request) {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\n"
      "export const GET = withAuth(handler)\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::wrapped);
  EXPECT_EQ(type(h.function), "function_declaration");
  EXPECT_EQ(ts_node_start_byte(h.function), 0u);
  EXPECT_EQ(m->str(h.name), "GET");
}

TEST(RouteModelHandlers, ExportClauseWithFunctionDeclaration) {
  const std::string text =
      "async function handler(req: Request) {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\n"
      "export { handler as GET }\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.shape, HandlerShape::export_clause);
  EXPECT_EQ(type(h.function), "function_declaration");
  EXPECT_EQ(ts_node_start_byte(h.function), 0u);
  EXPECT_EQ(ts_node_start_byte(h.name), text.find("GET"));
  ASSERT_EQ(h.params.size(), 1u);
  EXPECT_EQ(m->str(h.params[0].pattern), "req");
  ASSERT_EQ(h.fetches.size(), 1u);
}

TEST(RouteModelHandlers, ExportClauseWithConstArrow) {
  const std::string text =
      "const handler = async (req: Request) => {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\n"
      "export { handler as POST }\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "POST");
  EXPECT_EQ(h.shape, HandlerShape::export_clause);
  EXPECT_EQ(type(h.function), "arrow_function");
  EXPECT_EQ(ts_node_start_byte(h.function), text.find("async (req"));
}

TEST(RouteModelHandlers, ExportClauseOfAWrappedConst) {
  const std::string text =
      "const handler = withAuth(async (req: Request) => {\n})\n"
      "export { handler as GET }\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.shape, HandlerShape::export_clause);
  EXPECT_EQ(ts_node_start_byte(h.function), text.find("async (req"));
}

TEST(RouteModelHandlers, ExportClauseWithoutAlias) {
  const std::string text = "async function GET() {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\nexport { GET }\n";
  const auto m = model(text);
  const Handler& h = m->only_handler();
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.shape, HandlerShape::export_clause);
  EXPECT_EQ(ts_node_start_byte(h.function), 0u);
  EXPECT_EQ(ts_node_start_byte(h.name), text.rfind("GET"));
}

TEST(RouteModelHandlers, NotExportedFunctionIsNoHandler) {
  const auto m = model("async function GET() {}\nexport const dynamic = 'force-dynamic'\n");
  EXPECT_TRUE(m->route.handlers.empty());
  EXPECT_TRUE(m->route.problems.empty());
}

TEST(RouteModelHandlers, NonMethodExportsAreNoHandlers) {
  const auto m = model(
      "export async function get() {}\nexport const revalidate = 0\nexport function helper() {}\n"
      "export async function GET() {}\n");
  EXPECT_EQ(methods(*m), Strings{"GET"});
}

TEST(RouteModelHandlers, OneFunctionAsGetAndPostIsAShapeProblem) {
  const std::string text = "async function handler(req: Request) {}\nexport { handler as GET, handler as POST }\n";
  const auto m = model(text);
  EXPECT_EQ(methods(*m), Strings{"GET"});
  ASSERT_EQ(m->route.problems.size(), 1u);
  EXPECT_EQ(m->route.problems[0].offset, text.find("POST"));
  EXPECT_EQ(m->route.problems[0].message,
            "one function serves GET and POST; reads and mutations need different auth code, so split it "
            "into one function per method");
}

TEST(RouteModelHandlers, OneFunctionForTwoMutationsIsOneHandler) {
  const auto m = model("async function handler(req: Request) {}\nexport { handler as PUT, handler as PATCH }\n");
  EXPECT_EQ(methods(*m), Strings{"PUT"});
  EXPECT_TRUE(m->route.problems.empty());
}

TEST(RouteModelHandlers, SeveralHandlersInSourceOrder) {
  const auto m = model(
      "export async function PUT() {}\n"
      "export const GET = async () => {}\n"
      "async function remove() {}\n"
      "export function PATCH() {}\n"
      "export { remove as DELETE }\n"
      "export const POST = withAuth(async () => {})\n");
  EXPECT_EQ(methods(*m), (Strings{"PUT", "GET", "DELETE", "PATCH", "POST"}));
}

TEST(RouteModelHandlers, TryBlockDirectlyInTheBody) {
  const auto m = model(
      "export async function GET() {\n  const a = 1\n  try {\n    x()\n  } catch (e) {\n  }\n  try { y() } catch {}\n}\n");
  const Handler& h = m->only_handler();
  EXPECT_EQ(m->str(h.try_block), "{\n    x()\n  }");
}

TEST(RouteModelHandlers, NoTryBlock) {
  const auto m = model("export async function GET() {\n  if (a) {\n    try { x() } catch {}\n  }\n}\n");
  EXPECT_TRUE(ts_node_is_null(m->only_handler().try_block));
}

TEST(RouteModelHandlers, JavaScriptAndTsxFiles) {
  const auto js = model("export async function GET(request) {\n  return fetch(`${BRAIN_API_URL}/x`)\n}\n", {},
                        "app/api/x/route.js");
  EXPECT_EQ(js->only_handler().params.size(), 1u);
  EXPECT_TRUE(js->only_handler().has_backend_fetch());
  const auto tsx = model("export const GET = async (req: Request) => fetch(`${BRAIN_API_URL}/x`)\n", {},
                         "app/api/x/route.tsx");
  EXPECT_EQ(tsx->only_handler().shape, HandlerShape::exported_arrow);
  EXPECT_TRUE(tsx->only_handler().has_backend_fetch());
}

// ---- imports, directives, module names -----------------------------------------------------------

TEST(RouteModelImports, EveryKindOfClause) {
  const auto m = model(
      "import NextAuth from \"next-auth\";\n"
      "import { getServerSession as gss, type Session, authOptions } from 'next-auth/next';\n"
      "import * as z from \"zod\";\n"
      "import type { NextRequest } from \"next/server\";\n"
      "import Default, { a } from \"mod\";\n"
      "import \"side-effect\";\n");
  const auto& imports = m->route.imports;
  ASSERT_EQ(imports.size(), 6u);

  EXPECT_EQ(imports[0].source, "next-auth");
  EXPECT_EQ(imports[0].default_name, "NextAuth");
  EXPECT_FALSE(imports[0].namespace_name.has_value());
  EXPECT_TRUE(imports[0].named.empty());
  EXPECT_TRUE(ts_node_is_null(imports[0].named_imports));
  EXPECT_FALSE(imports[0].type_only);
  EXPECT_EQ(m->str(imports[0].statement), "import NextAuth from \"next-auth\";");

  EXPECT_EQ(imports[1].source, "next-auth/next");
  ASSERT_EQ(imports[1].named.size(), 2u);  // `type Session` is skipped
  EXPECT_EQ(imports[1].named[0].name, "getServerSession");
  EXPECT_EQ(imports[1].named[0].local, "gss");
  EXPECT_EQ(m->str(imports[1].named[0].node), "getServerSession as gss");
  EXPECT_EQ(imports[1].named[1].name, "authOptions");
  EXPECT_EQ(imports[1].named[1].local, "authOptions");
  EXPECT_EQ(imports[1].find("Session"), nullptr);
  ASSERT_NE(imports[1].find("getServerSession"), nullptr);
  EXPECT_EQ(imports[1].find("getServerSession")->local, "gss");
  EXPECT_EQ(m->str(imports[1].named_imports), "{ getServerSession as gss, type Session, authOptions }");
  EXPECT_FALSE(imports[1].type_only);
  EXPECT_FALSE(imports[1].default_name.has_value());

  EXPECT_EQ(imports[2].namespace_name, "z");
  EXPECT_FALSE(imports[2].default_name.has_value());

  EXPECT_TRUE(imports[3].type_only);
  ASSERT_EQ(imports[3].named.size(), 1u);
  EXPECT_EQ(imports[3].named[0].name, "NextRequest");

  EXPECT_EQ(imports[4].default_name, "Default");
  ASSERT_EQ(imports[4].named.size(), 1u);
  EXPECT_EQ(imports[4].named[0].local, "a");

  EXPECT_EQ(imports[5].source, "side-effect");
  EXPECT_FALSE(imports[5].default_name.has_value());
  EXPECT_TRUE(imports[5].named.empty());
  EXPECT_FALSE(imports[5].type_only);
}

TEST(RouteModelImports, ModuleNames) {
  const auto m = model(
      "import NextAuth from 'next-auth'\n"
      "import { getServerSession as gss } from 'next-auth'\n"
      "import * as z from 'zod'\n"
      "const BRAIN_API_URL = process.env.BRAIN_API_URL\n"
      "let a = 1, b = 2\n"
      "function helper() {}\n"
      "export const dynamic = 'force-dynamic'\n"
      "export async function GET() { const inner = 1 }\n"
      "class Store {}\n");
  for (const char* name : {"NextAuth", "gss", "z", "BRAIN_API_URL", "a", "b", "helper", "dynamic", "GET", "Store"}) {
    EXPECT_TRUE(m->route.declares(name)) << name;
  }
  EXPECT_FALSE(m->route.declares("getServerSession"));  // imported under an alias
  EXPECT_FALSE(m->route.declares("inner"));             // not top level
  EXPECT_FALSE(m->route.declares("session"));
}

TEST(RouteModelImports, ImportsAfterCodeAreStillImports) {
  const auto m = model("const a = 1\nimport { b } from 'b'\n");
  ASSERT_EQ(m->route.imports.size(), 1u);
  EXPECT_EQ(m->route.imports[0].source, "b");
}

TEST(RouteModelDirectives, OnlyThePrologue) {
  const auto m = model(
      "'use server'\n"
      "\"use strict\";\n"
      "import x from 'y'\n"
      "'not a directive'\n");
  ASSERT_EQ(m->route.directives.size(), 2u);
  EXPECT_EQ(m->str(m->route.directives[0]), "'use server'");
  EXPECT_EQ(m->str(m->route.directives[1]), "\"use strict\";");
  ASSERT_EQ(m->route.imports.size(), 1u);
}

TEST(RouteModelDirectives, NoneWhenCodeComesFirst) {
  const auto m = model("const a = 1\n'use server'\n");
  EXPECT_TRUE(m->route.directives.empty());
}

TEST(RouteModelStyle, ModelCarriesTheDetectedStyle) {
  const auto m = model("import { a } from \"b\"\r\nexport async function GET() {\r\n    a()\r\n}\r\n");
  EXPECT_EQ(m->route.style.quote, '"');
  EXPECT_FALSE(m->route.style.semicolons);
  EXPECT_EQ(m->route.style.eol, "\r\n");
  EXPECT_EQ(m->route.style.indent_unit, "    ");
  EXPECT_EQ(&m->route.source(), &m->file);
}

// ---- backend fetches ------------------------------------------------------------------------------

TEST(RouteModelFetch, TemplateWithTheBase) {
  EXPECT_EQ(backend_flags("export async function GET() { return fetch(`${BRAIN_API_URL}/x`) }\n"), Flags{true});
}

TEST(RouteModelFetch, ConcatenationWithTheBase) {
  EXPECT_EQ(backend_flags("export async function GET() { return fetch(BRAIN_API_URL + '/x') }\n"), Flags{true});
}

TEST(RouteModelFetch, NewUrlWithTheBase) {
  EXPECT_EQ(backend_flags("export async function GET() { return fetch(new URL('/x', BRAIN_API_URL)) }\n"),
            Flags{true});
}

TEST(RouteModelFetch, ProcessEnvOfTheBase) {
  EXPECT_EQ(backend_flags("export async function GET() { return fetch(`${process.env.BRAIN_API_URL}/x`) }\n"),
            Flags{true});
  EXPECT_EQ(backend_flags("export async function GET() { return fetch(process.env.BRAIN_API_URL + '/x') }\n"),
            Flags{true});
}

TEST(RouteModelFetch, LetUrlExtendedWithPlusEquals) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  let url = `${BRAIN_API_URL}/x`\n"
                "  url += `?${params.toString()}`\n"
                "  return fetch(url)\n"
                "}\n"),
            Flags{true});
}

// Candidate URLs tried in turn (seen in a real repository): the loop variable takes each element.
TEST(RouteModelFetch, ForOfOverBackendUrls) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  const candidates = [`${BRAIN_API_URL}/a?x=1`, `${BRAIN_API_URL}/a?y=1`]\n"
                "  for (const url of candidates) {\n"
                "    const r = await fetch(url, { cache: 'no-store' })\n"
                "    if (r.ok) return r\n"
                "  }\n"
                "  for (const host of ['https://api.example.org/a']) await fetch(host)\n"
                "  for (const key in { [BRAIN_API_URL]: 1 }) await fetch(key)\n"
                "}\n"),
            (Flags{true, false, false}));
}

TEST(RouteModelFetch, UrlToString) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  const url = new URL(`${BRAIN_API_URL}/x`)\n"
                "  url.searchParams.set('a', 'b')\n"
                "  return fetch(url.toString())\n"
                "}\n"),
            Flags{true});
}

TEST(RouteModelFetch, VariableAssignedLater) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  let url: string\n"
                "  url = `${BRAIN_API_URL}/x`\n"
                "  return fetch(url)\n"
                "}\n"),
            Flags{true});
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  let url = ''\n"
                "  if (a) url = BRAIN_API_URL + '/a'\n"
                "  return fetch(url)\n"
                "}\n"),
            Flags{true});
}

TEST(RouteModelFetch, ThroughTwoVariables) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  const base = `${BRAIN_API_URL}/api`\n"
                "  const url = `${base}/x`\n"
                "  return fetch(url)\n"
                "}\n"),
            Flags{true});
}

TEST(RouteModelFetch, ModuleLevelBaseVariable) {
  EXPECT_EQ(backend_flags(
                "const API = process.env.BRAIN_API_URL || 'http://localhost:8000'\n"
                "export async function GET() { return fetch(`${API}/x`) }\n"),
            Flags{true});
}

TEST(RouteModelFetch, AssignmentAfterTheFetchDoesNotCount) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  let url = 'https://api.example.com/x'\n"
                "  await fetch(url)\n"
                "  url = `${BRAIN_API_URL}/x`\n"
                "}\n"),
            Flags{false});
}

TEST(RouteModelFetch, ThirdPartyUrlIsNotBackend) {
  EXPECT_EQ(backend_flags(
                "export async function POST() {\n"
                "  await fetch('https://api.stripe.com/v1/charges', { method: 'POST' })\n"
                "  await fetch(`https://hooks.slack.com/${id}`)\n"
                "}\n"),
            (Flags{false, false}));
}

TEST(RouteModelFetch, OtherEnvVariableIsNotBackend) {
  EXPECT_EQ(backend_flags("export async function POST() { await fetch(process.env.SLACK_WEBHOOK_URL!, {}) }\n"),
            Flags{false});
}

TEST(RouteModelFetch, SameNameInAnotherFunctionIsNotBackend) {
  EXPECT_EQ(backend_flags(
                "function build() {\n  const url = `${BRAIN_API_URL}/x`\n  return url\n}\n"
                "export async function GET() {\n"
                "  const url = 'https://example.com/feed'\n"
                "  return fetch(url)\n"
                "}\n"),
            Flags{false});
}

TEST(RouteModelFetch, MixedBackendAndThirdPartyInOrder) {
  EXPECT_EQ(backend_flags(
                "export async function POST(request: NextRequest) {\n"
                "  const res = await fetch(`${BRAIN_API_URL}/x`, { method: 'POST' })\n"
                "  await fetch(process.env.SLACK_WEBHOOK_URL, { method: 'POST' })\n"
                "  await globalThis.fetch(BRAIN_API_URL)\n"
                "}\n"),
            (Flags{true, false, true}));
}

// A local variable shadows a module-level one of the same name: the fetch reads the local value.
TEST(RouteModelFetch, LocalShadowingAModuleBackendUrlIsNotBackend) {
  EXPECT_EQ(backend_flags(
                "const url = `${BRAIN_API_URL}/api/x`\n"
                "export async function POST() {\n"
                "  const url = 'https://hooks.slack.com/services/T000/B000'\n"
                "  await fetch(url, { method: 'POST' })\n"
                "}\n"),
            Flags{false});
}

// Two sibling blocks each declare `url`: the second fetch sees only its own.
TEST(RouteModelFetch, SiblingBlockBindingIsNotInScope) {
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  if (a) {\n"
                "    const url = `${BRAIN_API_URL}/x`\n"
                "    await fetch(url)\n"
                "  } else {\n"
                "    const url = 'https://example.com/x'\n"
                "    await fetch(url)\n"
                "  }\n"
                "}\n"),
            (Flags{true, false}));
}

TEST(RouteModelFetch, ConfiguredMemberExpressionBase) {
  Config config;
  config.backend_bases = {"process.env.API_URL"};
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  await fetch(`${process.env.API_URL}/x`)\n"
                "  await fetch(`${BRAIN_API_URL}/x`)\n"
                "  await fetch(`${process.env.OTHER_URL}/x`)\n"
                "}\n",
                config),
            (Flags{true, false, false}));
}

TEST(RouteModelFetch, ConfiguredHelperCallBase) {
  Config config;
  config.backend_bases = {"backendUrl()"};
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  await fetch(`${backendUrl()}/x`)\n"
                "  await fetch(backendUrl('/x'))\n"
                "  await fetch(otherUrl())\n"
                "  await fetch(backendUrl)\n"
                "}\n",
                config),
            (Flags{true, true, false, false}));
}

TEST(RouteModelFetch, SeveralConfiguredBases) {
  Config config;
  config.backend_bases = {"BRAIN_API_URL", "CRM_API_URL"};
  EXPECT_EQ(backend_flags(
                "export async function GET() {\n"
                "  await fetch(`${CRM_API_URL}/x`)\n"
                "  await fetch(`${process.env.CRM_API_URL}/x`)\n"
                "  await fetch(`${BRAIN_API_URL}/x`)\n"
                "  await fetch(`${PAY_API_URL}/x`)\n"
                "}\n",
                config),
            (Flags{true, true, true, false}));
}

TEST(RouteModelFetch, OptionsUrlAndStatement) {
  const auto m = model(
      "export async function GET() {\n"
      "  try {\n"
      "    const res = await fetch(`${BRAIN_API_URL}/x`, { cache: 'no-store' })\n"
      "    await fetch(BRAIN_API_URL)\n"
      "    return res\n"
      "  } catch {}\n"
      "}\n");
  const Handler& h = m->only_handler();
  ASSERT_EQ(h.fetches.size(), 2u);
  const Fetch& first = h.fetches[0];
  EXPECT_EQ(m->str(first.call), "fetch(`${BRAIN_API_URL}/x`, { cache: 'no-store' })");
  EXPECT_EQ(m->str(first.url), "`${BRAIN_API_URL}/x`");
  EXPECT_EQ(m->str(first.options), "{ cache: 'no-store' }");
  EXPECT_EQ(m->str(first.statement), "const res = await fetch(`${BRAIN_API_URL}/x`, { cache: 'no-store' })");
  EXPECT_TRUE(ts_node_eq(ts_node_parent(first.statement), h.try_block));
  const Fetch& second = h.fetches[1];
  EXPECT_TRUE(ts_node_is_null(second.options));
  EXPECT_EQ(m->str(second.statement), "await fetch(BRAIN_API_URL)");
}

TEST(RouteModelFetch, StatementOfAFetchInANestedCallback) {
  const auto m = model(
      "export async function GET() {\n"
      "  const all = await Promise.all(ids.map((id) => {\n"
      "    return fetch(`${BRAIN_API_URL}/x/${id}`)\n"
      "  }))\n"
      "}\n");
  const Handler& h = m->only_handler();
  ASSERT_EQ(h.fetches.size(), 1u);
  EXPECT_EQ(m->str(h.fetches[0].statement), "return fetch(`${BRAIN_API_URL}/x/${id}`)");
}

TEST(RouteModelFetch, FetchWithoutArgumentsIsIgnored) {
  const auto m = model("export async function GET() { await fetch() }\n");
  EXPECT_TRUE(m->only_handler().fetches.empty());
}

TEST(RouteModelFetch, ModuleLevelHelperLandsInOtherBackendFetches) {
  const auto m = model(
      "function load(path: string) {\n"
      "  return fetch(`${BRAIN_API_URL}${path}`)\n"
      "}\n"
      "async function notify() {\n"
      "  return fetch('https://hooks.slack.com/x')\n"
      "}\n"
      "export async function GET() {\n"
      "  return load('/x')\n"
      "}\n");
  const Handler& h = m->only_handler();
  EXPECT_TRUE(h.fetches.empty());
  ASSERT_EQ(m->route.other_backend_fetches.size(), 1u);
  EXPECT_TRUE(m->route.other_backend_fetches[0].backend);
  EXPECT_EQ(m->str(m->route.other_backend_fetches[0].call), "fetch(`${BRAIN_API_URL}${path}`)");
}

TEST(RouteModelFetch, EachHandlerOwnsItsFetches) {
  const auto m = model(
      "export async function GET() { return fetch(`${BRAIN_API_URL}/a`) }\n"
      "export async function POST() { await fetch('https://x.example/'); return fetch(`${BRAIN_API_URL}/b`) }\n");
  ASSERT_EQ(m->route.handlers.size(), 2u);
  ASSERT_EQ(m->route.handlers[0].fetches.size(), 1u);
  EXPECT_EQ(m->str(m->route.handlers[0].fetches[0].url), "`${BRAIN_API_URL}/a`");
  ASSERT_EQ(m->route.handlers[1].fetches.size(), 2u);
  EXPECT_FALSE(m->route.handlers[1].fetches[0].backend);
  EXPECT_TRUE(m->route.handlers[1].fetches[1].backend);
  EXPECT_TRUE(m->route.other_backend_fetches.empty());
}


// ---- the walk against the queries --------------------------------------------------------------

// scan_tree() finds in one walk what queries/*.scm describe. Every fixture (inputs and outputs),
// and the shapes of the benchmark generator, are run through both, and each match of a query
// must be exactly one entry of the walk (compared as sorted lists of capture ranges: the walk
// lists matches in document order, the query cursor in an order of its own).
std::string range(TSNode node) {
  if (ts_node_is_null(node)) return "-";
  return std::to_string(ts_node_start_byte(node)) + ".." + std::to_string(ts_node_end_byte(node));
}

struct QueryView {
  std::vector<std::string> imports, directives, exports, functions, bindings, fetches;
};

QueryView by_queries(const SourceFile& file, TSNode root) {
  QueryView v;
  const Grammar g = grammar_for(file);
  QueryCursor cursor;
  const Query& imports = query("imports.scm", g);
  for (const Match& m : cursor.run(imports, root, file)) {
    if (TSNode d = m.get(imports.capture("directive")); !ts_node_is_null(d)) {
      v.directives.push_back(range(d));
    } else {
      v.imports.push_back(range(m.get(imports.capture("import"))));
    }
  }
  const Query& handlers = query("handlers.scm", g);
  for (const Match& m : cursor.run(handlers, root, file)) {
    if (TSNode name = m.get(handlers.capture("handler.name")); !ts_node_is_null(name)) {
      v.exports.push_back(range(name) + " " + range(m.get(handlers.capture("handler.function"))) + " " +
                          range(m.get(handlers.capture("handler.value"))) + " " +
                          range(m.get(handlers.capture("handler.local"))));
    } else {
      v.functions.push_back(range(m.get(handlers.capture("function.name"))) + " " +
                            range(m.get(handlers.capture("function"))));
    }
  }
  const Query& url = query("url.scm", g);
  for (const Match& m : cursor.run(url, root, file)) {
    v.bindings.push_back(range(m.get(url.capture("binding"))) + " " + range(m.get(url.capture("binding.name"))) +
                         " " + range(m.get(url.capture("binding.value"))));
  }
  const Query& fetch = query("fetch.scm", g);
  for (const Match& m : cursor.run(fetch, root, file)) {
    v.fetches.push_back(range(m.get(fetch.capture("fetch"))) + " " + range(m.get(fetch.capture("fetch.arguments"))));
  }
  return v;
}

QueryView by_scan(const TreeScan& s) {
  QueryView v;
  for (TSNode n : s.imports) v.imports.push_back(range(n));
  for (TSNode n : s.directives) v.directives.push_back(range(n));
  for (const auto& e : s.exports) {
    v.exports.push_back(range(e.name) + " " + range(e.function) + " " + range(e.value) + " " + range(e.local));
  }
  for (const auto& f : s.functions) v.functions.push_back(range(f.name) + " " + range(f.function));
  for (const auto& b : s.bindings) v.bindings.push_back(range(b.binding) + " " + range(b.name) + " " + range(b.value));
  for (const auto& f : s.fetches) v.fetches.push_back(range(f.call) + " " + range(f.arguments));
  return v;
}

void expect_same_as_queries(const std::string& name, const std::string& text) {
  SourceFile file(name, text);
  Parser parser;
  Tree tree = parser.parse(file);
  QueryView want = by_queries(file, tree.root());
  QueryView got = by_scan(scan_tree(file, tree.root()));
  auto same = [&](const char* what, std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(b, a) << name << ": " << what;
  };
  same("imports", want.imports, got.imports);
  same("directives", want.directives, got.directives);
  same("exports", want.exports, got.exports);
  same("functions", want.functions, got.functions);
  same("bindings", want.bindings, got.bindings);
  same("fetches", want.fetches, got.fetches);
  EXPECT_EQ(got.exports.size(), want.exports.size());
  // The style counted on the walk is detect_style()'s.
  const Style a = scan_tree(file, tree.root()).style, b = detect_style(file, tree.root());
  EXPECT_EQ(a.quote, b.quote) << name;
  EXPECT_EQ(a.semicolons, b.semicolons) << name;
}

TEST(RouteModelScan, FindsWhatTheQueriesFindInEveryFixture) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::filesystem::path(ROUTEAUTH_SOURCE_DIR) / "fixtures")) {
    const std::string path = entry.path().string();
    if (!entry.is_regular_file() || !(path.ends_with(".ts") || path.ends_with(".tsx") || path.ends_with(".js"))) continue;
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    expect_same_as_queries(path, bytes.str());
    ++files;
  }
  EXPECT_GT(files, 100u);
}

TEST(RouteModelScan, FindsWhatTheQueriesFindInOddShapes) {
  expect_same_as_queries("app/api/a/route.ts",
                         "'use client'\n'use server'; import x = require('y')\nimport type { A } from 'a'\n"
                         "import * as ns from \"ns\"\nexport { a as GET, POST } from './h'\n"
                         "namespace N { export function GET() { return fetch(u) } }\n"
                         "export const GET2 = 1, PUT = wrap(async () => self.fetch(x, {})), DELETE = h\n"
                         "const h = withA(async function () { return window.fetch`x` })\n"
                         "let u; u = `${BRAIN_API_URL}/x`; u += '?a'; obj.u = 1; [a] = b; var w = globalThis.fetch()\n"
                         "function handler() { for (const p of ps) fetch(p) }\nexport default function GET() {}\n");
  expect_same_as_queries("app/api/b/route.tsx",
                         "export const GET = async (req) => fetch(`${BRAIN_API_URL}/x`, { headers: <div/> ? {} : {} })\n");
}

}  // namespace

namespace {

// engine/same_file_wrappers.h: a module-level function that fetches the backend, called only by
// handlers of one kind that hand it their request, is a handler of that kind; its callers record
// the calls and nothing is left outside the handlers.
TEST(SameFileWrappers, AdoptedWhenEveryUseIsACallFromHandlersOfOneKind) {
  const auto m = model(
      "const proxy = async (req: NextRequest, path: string) => {\n"
      "  return fetch(`${BRAIN_API_URL}${path}`)\n"
      "}\n"
      "export async function GET(request: NextRequest) {\n"
      "  return proxy(request, '/x')\n"
      "}\n");
  ASSERT_EQ(m->route.handlers.size(), 2u);
  const Handler& wrapper = m->route.handlers[0];
  EXPECT_TRUE(wrapper.is_wrapper());
  EXPECT_EQ(wrapper.method, "GET");
  EXPECT_EQ(m->str(wrapper.name), "proxy");
  ASSERT_EQ(wrapper.fetches.size(), 1u);
  EXPECT_TRUE(wrapper.fetches[0].backend);
  const Handler& get = m->route.handlers[1];
  ASSERT_EQ(get.same_file_wrapper_calls.size(), 1u);
  EXPECT_EQ(m->str(get.same_file_wrapper_calls[0]), "proxy(request, '/x')");
  EXPECT_TRUE(get.calls_backend());
  EXPECT_TRUE(m->route.other_backend_fetches.empty());
  EXPECT_TRUE(m->route.wrapper_problems.empty());
}

// Each reason not to adopt a wrapper is kept, with the line of the use it is about.
TEST(SameFileWrappers, NotAdoptedSaysWhichUsesAndWhy) {
  const auto m = model(
      "async function call(path: string) {\n"
      "  if (!path) return call('/')\n"
      "  return fetch(`${BRAIN_API_URL}${path}`)\n"
      "}\n"
      "export async function GET(request: NextRequest) {\n"
      "  return call('/x')\n"
      "}\n"
      "export async function POST(request: NextRequest) {\n"
      "  return [call][0]('/y')\n"
      "}\n");
  ASSERT_EQ(m->route.handlers.size(), 2u);
  ASSERT_EQ(m->route.other_backend_fetches.size(), 1u);
  ASSERT_EQ(m->route.wrapper_problems.size(), 1u);
  const auto& p = m->route.wrapper_problems[0];
  EXPECT_EQ(p.name, "call");
  EXPECT_EQ(p.reasons, (std::vector<std::string>{
                           "it calls itself at line 2",
                           "used as a value at line 9 (routeauth cannot follow where it is called from)",
                       }));
}

// Reads and mutations through one wrapper: adopted as a read whose tenant and no-store apply when
// the request it is handed is one (GET, and HEAD, which Next answers with GET).
TEST(SameFileWrappers, ReadsAndMutationsSharingOneWrapperTestTheMethod) {
  const auto m = model(
      "async function forward(req: Request) {\n"
      "  return fetch(`${BRAIN_API_URL}/x`, { method: req.method })\n"
      "}\n"
      "export async function GET(req: Request) {\n  return forward(req)\n}\n"
      "export async function POST(req: Request) {\n  return forward(req)\n}\n");
  EXPECT_TRUE(m->route.wrapper_problems.empty());
  ASSERT_EQ(m->route.handlers.size(), 3u);
  const Handler& wrapper = m->route.handlers[0];
  EXPECT_TRUE(wrapper.is_wrapper());
  EXPECT_EQ(wrapper.method, "GET");
  EXPECT_EQ(wrapper.called_by, "GET and POST");
  EXPECT_EQ(wrapper.read_methods, (std::vector<std::string>{"GET", "HEAD"}));
  EXPECT_FALSE(wrapper.needs_request);
}

// A wrapper whose first parameter is not the request is adopted to be handed it; one whose
// callers cannot hand it over (destructured, or the name declared again) is not, and says where.
TEST(SameFileWrappers, WrapperWithoutTheRequestIsHandedItWhenEveryCallerCan) {
  const auto m = model(
      "async function api(path: string) {\n"
      "  return fetch(`${BRAIN_API_URL}${path}`)\n"
      "}\n"
      "export async function GET() {\n  return api('/x')\n}\n");
  ASSERT_EQ(m->route.handlers.size(), 2u);
  EXPECT_TRUE(m->route.handlers[0].needs_request);
  EXPECT_TRUE(m->route.handlers[0].read_methods.empty());

  const auto n = model(
      "async function api(path: string) {\n"
      "  return fetch(`${BRAIN_API_URL}${path}`)\n"
      "}\n"
      "export async function GET({ nextUrl }: NextRequest) {\n  return api('/x')\n}\n"
      "export async function POST(request: NextRequest) {\n"
      "  return [1].map(async (request) => api(`/${request}`))\n"
      "}\n");
  ASSERT_EQ(n->route.wrapper_problems.size(), 1u);
  EXPECT_EQ(n->route.wrapper_problems[0].reasons,
            (std::vector<std::string>{
                "GET destructures its request parameter at line 4, so the call at line 5 cannot hand it over",
                "POST declares `request` again at line 8, so the call at line 8 may not hand over the handler's request",
            }));
}

}  // namespace

// Counts the work (issue 17): resolving the URLs of many fetches in one deep function looks up
// each enclosing scope's parent once (ts_node_parent is O(depth) in tree-sitter 0.20), not once
// per fetch.
TEST(RouteModel, DeclarationLookupsAskEachScopesParentOnce) {
  std::string body;
  for (int i = 0; i < 40; ++i) body += "          await fetch(`${base}/items/" + std::to_string(i) + "/`)\n";
  const std::string text = "const base = process.env.BRAIN_API_URL\n"
                           "export async function GET(request: Request) {\n"
                           "  for (const k of [1]) {\n"
                           "    if (k) {\n"
                           "      try {\n"
                           "        {\n" + body +
                           "        }\n"
                           "      } catch (e) {}\n"
                           "    }\n"
                           "  }\n"
                           "  return new Response('')\n"
                           "}\n";
  Config config;
  config.backend_bases = {"BRAIN_API_URL"};
  const SourceFile file("app/api/x/route.ts", text);
  Parser parser;
  const Tree tree = parser.parse(file);
  const uint64_t before = parent_lookups();
  const RouteFile route = build_route_model(file, tree.root(), config);
  const uint64_t lookups = parent_lookups() - before;
  ASSERT_EQ(route.handlers.size(), 1u);
  ASSERT_EQ(route.handlers[0].fetches.size(), 40u);
  EXPECT_TRUE(std::all_of(route.handlers[0].fetches.begin(), route.handlers[0].fetches.end(),
                          [](const auto& f) { return f.backend; }));
  // Each use is 7 nodes below the block whose 8 enclosing scopes all 40 share (without the
  // memo: 40 walks of 15 parents each).
  EXPECT_LE(lookups, 40u * 8 + 16) << lookups;
}
