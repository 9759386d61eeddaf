#!/usr/bin/env node
// Behaviour test over every golden fixture (issue 14's proof by execution): each fixture's input
// and output are transpiled with TypeScript's transpileModule (CommonJS), every exported handler
// of both is run against a recording `fetch` in four scenarios (the fourth in three shapes, and
// once more with a caller header), and the two runs are compared request by request. What the
// text of a fixture says is the fixtures test's business; this one checks what it SENDS. The
// project fixtures (fixtures/projects/<case>/input/ and output/) take part route by route
// (discoverProjects below).
//
// Imports are resolved so:
//   next/server                       the REAL installed package (NextRequest, NextResponse)
//   next-auth, next-auth/next         getServerSession returns the scenario's session (recorded)
//   next-auth/jwt                     getToken returns the scenario's token (the session's fields, flat)
//   next/headers                      cookies(): the scenario's cookie jar; headers(): the request's
//   the project's auth module         authOptions (a frozen object), v5 `auth` (the session, or a
//     (…/[...nextauth]/route,         wrapper that sets req.auth), any *session* function (the
//      …/auth, …/auth-options)        session); everything else of it as below
//   anything else                     a recording stub (recordingStub below): a Proxy whose every
//     (@/lib/..., zod, next/og, ...)  member is a function that records its call and returns a
//                                     deterministic value, chosen by the name called:
//       *header*    -> { 'Content-Type': 'application/json' }, plus
//                      Authorization: 'Bearer helper-token' in the scenarios where the route has a
//                      credential of its own (a header builder reading the route's cookie): as
//                      `Authorization`, `authorization`, or all in a Headers instance
//       *token*     -> 'helper-token' in that scenario, else null
//       *session*   -> the scenario's session (a project's own session helper)
//       parse       -> its argument (validators pass valid input through); safeParse likewise
//       a call given a function (withErrors(handler), a middleware wrapper) -> a function that
//                      calls it with the same arguments
//       a backend name of the settings (a URL builder) -> the backend base
//       otherwise   -> another stub (so chains like z.object({...}).optional() work)
//     An imported backend name (BRAIN_API_URL) is the backend base; any other imported value
//     converts to the string "stub:<name>".
// process.env: a backend name of the settings is the backend (http://backend.test); every other
// name the fixture reads that ends in URL is a third party (https://<name>.third-party.test); any
// other name is "env-<NAME>".
// The settings are the tool's defaults (backend BRAIN_API_URL, session.access_token,
// session.user.tenant_id, ?tenant_id=, reads GET/HEAD), or what a <situation>.config.json beside
// the fixture says, as the fixtures test reads it (settingsFor below).
//
// Each fixture module is evaluated afresh for every handler run (module-level objects a handler
// mutates cannot leak from one run into the next). Each handler gets a NextRequest for
// http://localhost:3000/api/fixture?page=2&q=find&tenant_id=evil (a JSON body for methods other
// than GET/HEAD, which formData() reads as the same fields; content-type, accept-language,
// x-request-id; nextUrl.searchParams.get of a name the URL lacks gives '7') and `{ params }`
// (every param '7').
//
// Scenarios (SCENARIOS below):
//   session   a session (its token and tenant at the settings' fields) and the caller's
//             Authorization header
//   caller    the caller's Authorization header only
//   nothing   neither
//   own       the route's own credential only: cookies (next/headers and request.cookies) hold a
//             token under every name, and header/token helpers return one (see above)
//   own-lowercase, own-headers
//             the same, a header helper returning its credential under `authorization`, or as a
//             Headers instance (the shapes an opaque helper result can have; issue 14)
//   own+caller the route's own credential and the caller's header (the caller's is the fallback
//             only where the route sent none of its own)
//
// Assertions, per handler and scenario, input run vs output run (the rules a fixture is held to
// come from its folder: fixtures/migration runs all, fixtures/<rule> that rule alone):
//   - every backend request of the output carries at most one Authorization value (names
//     compared case-insensitively, as fetch merges them; "a, b" is two values)
//   - auth-header (migration, auth-header): with a session, the session's bearer token; without
//     one, byte for byte what the input sent, or the caller's header where the input sent none
//     (the guide's fallback), or nothing / '' (the guide's mutation form; not with
//     "emptyAuthorization": "omit") where there was neither. A value that carries no credential
//     ('', "null" of a missing header forwarded, "Bearer undefined") counts as none sent
//   - other folders: Authorization exactly as the input sent it
//   - tenant-param (migration, tenant-param): on each GET request of a read handler with a
//     session, exactly one tenant_id, the session's; otherwise the input's tenant_id values
//   - no-store (migration, no-store): GET requests of a read handler have cache 'no-store' unless
//     the input chose a cache or next option (then unchanged); otherwise cache unchanged
//   - every other part of every request unchanged: method, origin and path, query (but the
//     tenant as above), body, every other header, other fetch options; the same number of
//     backend and third-party requests; third-party requests byte-identical (so no token reaches
//     a third party), and none carries the session or caller token the input did not send
//   - the response unchanged: thrown error or status and body
//   - the input ran: a fixture whose input throws before any fetch in every run proves nothing
//     and fails (improve the stubs, or list it in CANNOT_EXECUTE)
// An input that sends the session's token with a session and nothing that carries a credential
// without one (`Bearer ${session?.accessToken}` alone) is migrated in substance: an output that
// sends exactly what it sent is accepted there.
// An input that is itself an earlier, broken migration (it sends the session's token with a
// session; in an own-credential scenario it was handed the route's credential by a helper or
// cookie and did not send it alone) may have that credential, and the helper's other headers it
// dropped, restored by the output.
// A fixture whose output `routeauth check` (the built binary, run as the fixtures test runs the
// rules) still reports on, or that holds a routeauth-ignore comment, has parts the tool leaves
// for a person: there a request field (Authorization, tenant, cache) the output left exactly as
// the input had it is accepted; a field it changed is held to the above.
//
// Usage: node execute_fixtures.mjs --fixtures DIR --node-modules DIR --routeauth BIN [--only SUBSTRING] [--verbose] [--expect-violations]
// Prints one line per fixture, the problems of each failing one (fixture, handler, scenario, both
// requests), then totals; exits 1 on any failure, 2 on bad usage. With --expect-violations the
// pairs are known-bad outputs (tests/behaviour/violations/): each must be reported, with every
// line of its <situation>.violation.txt among the messages, or the run fails.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire, Module } from 'node:module';
import { isDeepStrictEqual } from 'node:util';

// ---- fixtures that cannot execute ------------------------------------------------------------
// Each entry: 'folder/situation' -> why. Keep it short: a shape that cannot execute is a reason
// to improve the harness first.
const CANNOT_EXECUTE = new Map([
]);

// ---- the scenarios ---------------------------------------------------------------------------

const BACKEND = 'http://backend.test';
const SESSION_TOKEN = 'session-token';
const SESSION_BEARER = `Bearer ${SESSION_TOKEN}`;
const CALLER_BEARER = 'Bearer caller-token';
const OWN_TOKEN = 'helper-token';
const OWN_BEARER = `Bearer ${OWN_TOKEN}`;
const COOKIE_TOKEN = 'cookie-token';
const TENANT = 't-42';
const REQUEST_URL = 'http://localhost:3000/api/fixture?page=2&q=find&tenant_id=evil';
const REQUEST_BODY = { id: 7, name: 'Fixture', target_url: 'https://example.test/hook' };
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

// `session`: the session holds SESSION_TOKEN and TENANT at the fields the fixture's settings name.
const SCENARIOS = [
  { name: 'session', session: true, caller: CALLER_BEARER, own: false },
  { name: 'caller', session: false, caller: CALLER_BEARER, own: false },
  { name: 'nothing', session: false, caller: null, own: false },
  { name: 'own', session: false, caller: null, own: 'Authorization' },
  // The same, with the helper's credential in the other shapes an opaque helper result can have.
  { name: 'own-lowercase', session: false, caller: null, own: 'authorization' },
  { name: 'own-headers', session: false, caller: null, own: 'Headers' },
  // Both the route's own credential and a caller header: the caller's may be the fallback only
  // where the route sent none of its own (issue 14).
  { name: 'own+caller', session: false, caller: CALLER_BEARER, own: 'Authorization' },
];

const ALL_RULES = ['session-import', 'session-call', 'tenant-param', 'auth-header', 'no-store'];

// ---- a fixture's settings --------------------------------------------------------------------
// The tool's defaults, changed by a <situation>.config.json beside the fixture (routeauth.json
// keys, as the fixtures test reads it): backends (names, calls, process.env.X, URL prefixes; as
// in the tool they replace the default BRAIN_API_URL), accessTokenField, tenantField,
// tenantParam, readMethods, emptyAuthorization, rules.

function settingsFor(folder, configFile) {
  let config = {};
  if (configFile && fs.existsSync(configFile)) {
    const text = fs.readFileSync(configFile, 'utf8').replace(/^\s*\/\/.*$/gm, '');
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new Error(`${configFile}: not JSON (${error.message})`);
    }
  }
  const backends = config.backends ?? ['BRAIN_API_URL'];
  const rules = rulesOf(folder);
  for (const [id, on] of Object.entries(config.rules ?? {})) if (on === false) rules.delete(id);
  return {
    config,
    backendNames: new Set(backends.filter((b) => !b.includes('://') && !b.endsWith('()')).map((b) => b.replace(/^process\.env\./, ''))),
    backendCalls: new Set(backends.filter((b) => b.endsWith('()')).map((b) => b.slice(0, -2).split('.').pop())),
    backendPrefixes: [BACKEND, ...backends.filter((b) => b.includes('://'))],  // BACKEND: what backend names evaluate to
    tokenField: config.accessTokenField ?? 'access_token',
    tenantField: config.tenantField ?? 'user.tenant_id',
    tenantParam: config.tenantParam ?? 'tenant_id',
    readMethods: new Set(config.readMethods ?? ['GET', 'HEAD']),
    emptyOmit: config.emptyAuthorization === 'omit',
    rules,
  };
}

let S = settingsFor('migration', null);  // the settings of the fixture being run

// ---- command line ----------------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`execute_fixtures: ${message}`);
  console.error('usage: node execute_fixtures.mjs --fixtures DIR --node-modules DIR --routeauth BIN [--only SUBSTRING] [--verbose] [--expect-violations]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { only: null, verbose: false, expectViolations: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const value = () => {
      if (eq !== -1) return arg.slice(eq + 1);
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--fixtures': args.fixtures = path.resolve(value()); break;
      case '--node-modules': args.nodeModules = path.resolve(value()); break;
      case '--routeauth': args.routeauth = path.resolve(value()); break;
      case '--only': args.only = value(); break;
      case '--verbose': args.verbose = true; break;
      case '--expect-violations': args.expectViolations = true; break;
      case '--help': case '-h': usage(); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  if (!args.fixtures) usage('--fixtures is required');
  if (!args.nodeModules) usage('--node-modules is required');
  if (!args.routeauth) usage('--routeauth is required (the binary whose check says what is left for a person)');
  return args;
}

// ---- the state one handler run sees ----------------------------------------------------------

// ownSeen: the run was handed the route's own credential (a helper returned it, a cookie held it).
const state = { scenario: SCENARIOS[0], request: null, fetches: [], calls: [], ownSeen: false };

function describeValue(v) {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

function setPath(object, dotted, value) {
  const keys = dotted.split('.');
  let at = object;
  for (const k of keys.slice(0, -1)) at = at[k] ??= {};
  at[keys.at(-1)] = value;
}

function sessionNow() {
  if (!state.scenario.session) return null;
  const session = { user: { email: 'u@example.test' } };
  setPath(session, S.tokenField, SESSION_TOKEN);
  setPath(session, S.tenantField, TENANT);
  return session;
}

// ---- the recording stub ----------------------------------------------------------------------

const STUB_NAME = Symbol('stub name');

// What a header-building helper returns: with the route's own credential under `Authorization`,
// under `authorization`, or in a Headers instance, as the scenario says.
function ownHeaders() {
  const out = { 'Content-Type': 'application/json' };
  const { own } = state.scenario;
  if (!own) return out;
  state.ownSeen = true;
  if (own === 'Headers') return new Headers({ ...out, Authorization: OWN_BEARER });
  out[own] = OWN_BEARER;
  return out;
}

// What a call of the stub named `name` (its last member name decides) returns.
function stubResult(name, args) {
  const last = name.split('.').pop().replace(/\(\)$/, '');
  const fn = args.find((a) => typeof a === 'function' && !a[STUB_NAME]);
  if (fn) return function wrapped(...inner) { return fn.apply(this, inner); };
  if (S.backendCalls.has(last)) return BACKEND;  // a backend URL builder the settings name
  if (last === 'parse') return args[0];
  if (last === 'safeParse') return { success: true, data: args[0] };
  if (/header/i.test(last)) return ownHeaders();
  if (/token/i.test(last)) {
    if (!state.scenario.own) return null;
    state.ownSeen = true;
    return OWN_TOKEN;
  }
  if (/session/i.test(last)) return sessionNow();
  return recordingStub(`${name}()`);
}

function recordingStub(name) {
  const members = new Map();
  const target = function stub() {};
  return new Proxy(target, {
    get(_t, key) {
      if (key === STUB_NAME) return name;
      if (key === 'then') return undefined;  // not a thenable: `await stub` is the stub
      if (key === Symbol.toPrimitive) return () => `stub:${name}`;
      if (key === 'toString' || key === 'valueOf') return () => `stub:${name}`;
      if (key === 'toJSON') return () => `stub:${name}`;
      if (typeof key === 'symbol') return undefined;
      if (!members.has(key)) members.set(key, recordingStub(`${name}.${key}`));
      return members.get(key);
    },
    apply(_t, _this, args) {
      state.calls.push({ name, args: args.map(describeValue) });
      return stubResult(name, args);
    },
    construct(_t, args) {
      state.calls.push({ name: `new ${name}`, args: args.map(describeValue) });
      return recordingStub(`new ${name}()`);
    },
  });
}

// A module of stubs: `import { x } from 'spec'` gets recordingStub('spec.x').
function stubModule(spec, overrides = {}) {
  const members = new Map();
  return new Proxy({}, {
    get(_t, key) {
      if (key === '__esModule') return true;
      if (key === 'then') return undefined;
      if (typeof key === 'symbol') return undefined;
      if (key in overrides) return overrides[key];
      if (S.backendNames.has(key)) return BACKEND;
      if (!members.has(key)) members.set(key, recordingStub(`${spec}.${key}`));
      return members.get(key);
    },
    has: () => true,
  });
}

// ---- the known modules -----------------------------------------------------------------------

const AUTH_OPTIONS = Object.freeze({ providers: [], __stub: 'authOptions' });

async function getServerSession(...args) {
  state.calls.push({ name: 'getServerSession', args: args.map((a) => (a === AUTH_OPTIONS ? 'authOptions' : describeValue(a))) });
  return sessionNow();
}

const nextAuthModule = stubModule('next-auth', {
  getServerSession,
  default: function NextAuth() { return () => new Response(null, { status: 404 }); },
});

// getToken's token holds the session's fields flat (the last part of each field path:
// `token.access_token`, `token.tenant_id`), where NextAuth's jwt callback keeps what the session
// callback nests; routeauth reads a token so (rewriters/session_read.h).
function tokenNow() {
  state.calls.push({ name: 'getToken', args: [] });
  if (!state.scenario.session) return null;
  return { sub: 'user-1', [S.tokenField.split('.').at(-1)]: SESSION_TOKEN, [S.tenantField.split('.').at(-1)]: TENANT };
}

const nextAuthJwtModule = stubModule('next-auth/jwt', {
  getToken: async () => tokenNow(),
});

function cookieStore() {
  const own = () => state.scenario.own;
  return {
    get: (name) => {
      if (!own()) return undefined;
      state.ownSeen = true;
      return { name: String(name), value: COOKIE_TOKEN };
    },
    getAll: () => (own() ? [{ name: 'token', value: COOKIE_TOKEN }] : []),
    has: () => own(),
    set: () => undefined,
    delete: () => undefined,
    toString: () => (own() ? `token=${COOKIE_TOKEN}` : ''),
  };
}

const nextHeadersModule = stubModule('next/headers', {
  cookies: () => cookieStore(),
  headers: () => new Headers(state.request?.headers ?? {}),
});

// v5's `auth`: awaited it is the session; given a handler it wraps it, as NextAuth v5 does.
function auth(...args) {
  const fn = args.find((a) => typeof a === 'function');
  if (fn) {
    return function authWrapped(req, ...rest) {
      req.auth = sessionNow();
      return fn.call(this, req, ...rest);
    };
  }
  state.calls.push({ name: 'auth', args: [] });
  return Promise.resolve(sessionNow());
}

const authModule = stubModule('auth-module', {
  authOptions: AUTH_OPTIONS,
  auth,
  getServerSession,
  getServerAuthSession: () => getServerSession(AUTH_OPTIONS),
  default: AUTH_OPTIONS,
});

const isAuthModule = (spec) => spec.includes('[...nextauth]') || /(^|\/)auth(-options|Options|\/options)?$/.test(spec);

// ---- the recording fetch ---------------------------------------------------------------------

function bodyText(body) {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return `urlencoded:${body}`;
  if (body instanceof FormData) return `formdata:${JSON.stringify([...body.entries()])}`;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return `bytes:${Buffer.from(body.buffer ?? body).toString('base64')}`;
  if (typeof body.getReader === 'function') return '[stream]';
  return `${Object.prototype.toString.call(body)}:${describeValue(body)}`;
}

globalThis.fetch = async (input, init = {}) => {
  const fromRequest = input instanceof Request ? input : null;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input?.url ?? String(input);
  const headers = new Headers(init.headers ?? fromRequest?.headers ?? {});  // what fetch sends, names merged
  const { headers: _h, body: _b, method: _m, cache: _c, ...rest } = init;
  const record = {
    url: new URL(url).href,
    method: String(init.method ?? fromRequest?.method ?? 'GET').toUpperCase(),
    authorization: headers.get('authorization'),
    headers: Object.fromEntries([...headers].filter(([k]) => k !== 'authorization')),
    body: bodyText(init.body ?? null),
    cache: init.cache ?? null,
    options: describeValue(rest),
  };
  state.fetches.push(record);
  return new Response(JSON.stringify({ ok: true, results: [], id: 7 }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};

// A backend URL: one under a backend prefix (origin compared as the URL parser normalises it,
// so scheme and host case-insensitively; the path at a '/').
function underPrefix(url, prefix) {
  const u = new URL(url);
  const p = new URL(prefix);
  if (u.origin !== p.origin) return false;
  const base = p.pathname.replace(/\/$/, '');
  return u.pathname === base || u.pathname.startsWith(`${base}/`);
}
const isBackend = (f) => S.backendPrefixes.some((p) => underPrefix(f.url, p));
// A value that carries no credential: what a route sends when it has nothing to send ('', the
// string "null" of a missing header it forwarded, "Bearer undefined" of a missing token).
const carriesNoCredential = (v) => v === null || /^((bearer)\s*)?(null|undefined)?$/i.test(v.trim());
const authValues = (value) => (value === null ? 0 : value.split(',').length);
const describeFetch = (f) => `${f.method} ${f.url} authorization=${describeValue(f.authorization)} headers=${describeValue(f.headers)} body=${describeValue(f.body)} cache=${describeValue(f.cache)} options=${f.options}`;

// ---- environment -----------------------------------------------------------------------------

function envValue(name) {
  if (S.backendNames.has(name)) return BACKEND;
  if (/url$/i.test(name)) return `https://${name.toLowerCase().replace(/_/g, '-')}.third-party.test/hook`;
  return `env-${name}`;
}

// ---- loading a fixture -----------------------------------------------------------------------

class Loader {
  constructor(ts, nodeRequire) {
    this.ts = ts;
    this.nodeRequire = nodeRequire;
    this.nextServer = nodeRequire('next/server');
    this.scripts = new Map();
  }

  compile(file) {
    const { ts } = this;
    const source = fs.readFileSync(file, 'utf8');
    const out = ts.transpileModule(source, {
      // route.ts / route.js: an .mjs or .mts name would make TypeScript keep the ES module syntax.
      fileName: `route${path.extname(file).replace(/^\.m/, '.')}`,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        allowJs: true,
        jsx: ts.JsxEmit.ReactJSX,
      },
    });
    if (out.diagnostics?.length) {
      const text = out.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      throw new Error(`does not transpile: ${text.join('; ')}`);
    }
    return new vm.Script(Module.wrap(out.outputText), { filename: file });
  }

  require(spec) {
    if (spec === 'next/server') return this.nextServer;
    if (spec === 'next-auth' || spec === 'next-auth/next') return nextAuthModule;
    if (spec === 'next-auth/jwt') return nextAuthJwtModule;
    if (spec === 'next/headers') return nextHeadersModule;
    if (isAuthModule(spec)) return authModule;
    return stubModule(spec);
  }

  // A fresh evaluation of the file's module: its exports. process.env as the settings say.
  load(file) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) process.env[m[1]] = envValue(m[1]);
    if (!this.scripts.has(file)) this.scripts.set(file, this.compile(file));
    const module = { exports: {}, filename: file, id: file, loaded: false };
    const wrapper = this.scripts.get(file).runInThisContext();
    wrapper.call(module.exports, module.exports, (spec) => this.require(spec), module, file, path.dirname(file));
    return module.exports;
  }
}

// ---- running one handler ---------------------------------------------------------------------

function makeRequest(NextRequest, method, scenario) {
  const headers = { 'accept-language': 'en', 'x-request-id': 'req-1' };
  if (scenario.caller) headers.authorization = scenario.caller;
  if (scenario.own) headers.cookie = `token=${COOKIE_TOKEN}`;
  const init = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(REQUEST_BODY);
  }
  const request = new NextRequest(REQUEST_URL, init);
  // The route's own cookie, under whatever name the route reads it.
  Object.defineProperty(request, 'cookies', { value: cookieStore(), configurable: true });
  // A query parameter the route asks for by name and the URL lacks reads as '7' (a route that
  // loops over `?ids=` then fetches once instead of never); what the URL holds reads as it is.
  // formData() of the JSON body: the same fields, as an upload route reads them.
  request.formData = async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(REQUEST_BODY)) form.append(k, String(v));
    return form;
  };
  const query = request.nextUrl.searchParams;
  const get = query.get.bind(query);
  query.get = (name) => get(name) ?? '7';
  return request;
}

const paramsProxy = () => new Proxy({}, {
  get: (_t, key) => (typeof key === 'string' && key !== 'then' ? '7' : undefined),
});

async function runHandler(loader, file, method, scenario) {
  state.scenario = scenario;
  state.fetches = [];
  state.calls = [];
  state.ownSeen = false;
  const obs = { threw: null, status: null, body: null, returned: null, fetches: null, calls: null, logs: [] };
  const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info };
  console.error = console.warn = console.log = console.info = (...a) => obs.logs.push(a.map(String).join(' '));
  try {
    const exports = loader.load(file);
    const handler = exports[method];
    if (typeof handler !== 'function') return null;
    state.request = makeRequest(loader.nextServer.NextRequest, method, scenario);
    running = `${path.basename(path.dirname(file))}/${path.basename(file)} ${method} [${scenario.name}]`;
    const result = await handler(state.request, { params: paramsProxy() });
    if (result instanceof Response) {
      obs.status = result.status;
      obs.body = method === 'HEAD' ? '' : (await result.text()).slice(0, 500);
    } else {
      obs.returned = describeValue(result);
    }
  } catch (error) {
    obs.threw = error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
  } finally {
    Object.assign(console, saved);
  }
  obs.fetches = state.fetches;
  obs.calls = state.calls;
  obs.ownSeen = state.ownSeen;
  return obs;
}

// ---- the comparison --------------------------------------------------------------------------

function rulesOf(folder) {
  if (folder === 'migration') return new Set(ALL_RULES);
  return new Set([folder]);
}

const tenantsOf = (f) => new URL(f.url).searchParams.getAll(S.tenantParam);

function queryWithout(f, skipTenant) {
  const u = new URL(f.url);
  const pairs = [...u.searchParams].filter(([k]) => !(skipTenant && k === S.tenantParam)).map(([k, v]) => `${k}=${v}`).sort();
  return { where: `${u.origin}${u.pathname}`, query: pairs };
}

// Problems of one output request `o` against its input request `i`.
// inputHadOwn: the input run was handed the route's own credential; inputMigrated: the input
// sent the session's token on this request in the session scenario (see repairsOwn below).
function compareBackend(fixture, method, scenario, i, o, inputHadOwn, inputMigrated) {
  const problems = [];
  const rules = S.rules;
  const lenient = fixture.leftForAPerson;
  const read = S.readMethods.has(method) && o.method === 'GET';

  // Authorization: one value, the right one.
  if (authValues(o.authorization) > 1) {
    problems.push(`${authValues(o.authorization)} Authorization values sent (${describeValue(o.authorization)}); exactly one may reach the backend`);
  }
  let wanted;
  let why;
  if (!rules.has('auth-header')) {
    wanted = [i.authorization];
    why = 'this rule does not touch Authorization: as the input sent it';
  } else if (scenario.session) {
    wanted = [SESSION_BEARER];
    why = "the session's bearer token";
  } else if (!carriesNoCredential(i.authorization)) {
    wanted = [i.authorization];
    why = 'no session: what the input sent, byte for byte';
  } else if (scenario.caller) {
    wanted = [scenario.caller];
    why = "no session and the input sent no credential: the caller's header (the guide's fallback)";
  } else {
    wanted = [...new Set([null, i.authorization, ...(S.readMethods.has(method) || S.emptyOmit ? [] : [''])])];
    why = `no session, no caller header and the input sent no credential: nothing, what the input sent${S.emptyOmit ? '' : ", or the guide's empty value on a mutation"}`;
  }
  // An input that is itself an earlier, broken migration (it sends the session's token when there
  // is one) that was handed the route's own credential (helper, cookie) and did not send it
  // alone ('', two values, the caller's instead): the output may send that credential alone, and
  // the helper's other headers the input dropped (a spread Headers).
  const ownValues = [OWN_BEARER, `Bearer ${COOKIE_TOKEN}`];
  const repairsOwn = rules.has('auth-header') && !scenario.session && scenario.own && inputHadOwn && inputMigrated
    && !ownValues.includes(i.authorization);
  // An input that already sends the session's token on this request and, without a session,
  // nothing that carries a credential (`Bearer ${session?.accessToken}` alone: "Bearer undefined")
  // is migrated in substance (issue 13 point 4); the output may leave it as it is.
  const sessionOnly = rules.has('auth-header') && !scenario.session && inputMigrated && carriesNoCredential(i.authorization)
    && o.authorization === i.authorization;
  const authOk = wanted.some((w) => w === o.authorization) || (lenient && o.authorization === i.authorization)
    || (repairsOwn && ownValues.includes(o.authorization)) || sessionOnly;
  if (!authOk) problems.push(`Authorization ${describeValue(o.authorization)}, want ${wanted.map(describeValue).join(' or ')} (${why})`);

  // The tenant.
  const before = tenantsOf(i);
  const after = tenantsOf(o);
  if (rules.has('tenant-param') && read && scenario.session) {
    const ok = isDeepStrictEqual(after, [TENANT]) || (lenient && isDeepStrictEqual(after, before));
    if (!ok) problems.push(`${S.tenantParam} ${describeValue(after)} on a GET with a session, want exactly ["${TENANT}"]`);
  } else if (!isDeepStrictEqual(after, before)) {
    problems.push(`${S.tenantParam} ${describeValue(after)}, the input sent ${describeValue(before)}`);
  }

  // The cache.
  const chose = i.cache !== null || /"next":/.test(i.options);
  if (rules.has('no-store') && read && !chose) {
    if (o.cache !== 'no-store' && !(lenient && o.cache === i.cache)) problems.push(`cache ${describeValue(o.cache)} on a GET, want "no-store"`);
  } else if (o.cache !== i.cache) {
    problems.push(`cache ${describeValue(o.cache)}, the input had ${describeValue(i.cache)}`);
  }

  // Everything else.
  const restored = repairsOwn && isDeepStrictEqual(o.headers, { ...i.headers, 'content-type': 'application/json' });
  problems.push(...compareRest(i, restored ? { ...o, headers: i.headers } : o, true));
  return problems;
}

function compareRest(i, o, skipTenant) {
  const problems = [];
  if (o.method !== i.method) problems.push(`method ${o.method}, the input used ${i.method}`);
  const qi = queryWithout(i, skipTenant);
  const qo = queryWithout(o, skipTenant);
  if (qo.where !== qi.where) problems.push(`URL ${qo.where}, the input fetched ${qi.where}`);
  if (!isDeepStrictEqual(qo.query, qi.query)) problems.push(`query ${describeValue(qo.query)}, the input sent ${describeValue(qi.query)}`);
  if (o.body !== i.body) problems.push(`body ${describeValue(o.body)}, the input sent ${describeValue(i.body)}`);
  if (!isDeepStrictEqual(o.headers, i.headers)) problems.push(`headers ${describeValue(o.headers)}, the input sent ${describeValue(i.headers)}`);
  if (o.options !== i.options) problems.push(`fetch options ${o.options}, the input had ${i.options}`);
  return problems;
}

function compareThirdParty(scenario, i, o) {
  const problems = [];
  if (o.authorization !== i.authorization) {
    problems.push(`a third party got Authorization ${describeValue(o.authorization)}, the input sent ${describeValue(i.authorization)}`);
  }
  for (const token of [SESSION_TOKEN, 'caller-token']) {
    const leaked = [o.authorization, ...Object.values(o.headers), o.url, o.body].some((v) => typeof v === 'string' && v.includes(token))
      && ![i.authorization, ...Object.values(i.headers), i.url, i.body].some((v) => typeof v === 'string' && v.includes(token));
    if (leaked) problems.push(`a third party got the ${token === SESSION_TOKEN ? "session's" : "caller's"} token`);
  }
  if (o.cache !== i.cache) problems.push(`cache ${describeValue(o.cache)}, the input had ${describeValue(i.cache)}`);
  if (o.url !== i.url) problems.push(`URL ${o.url}, the input fetched ${i.url}`);
  problems.push(...compareRest(i, o, false));
  return [...new Set(problems)];
}

// sessionAuth: the Authorization of each backend request of the input in the session scenario.
function compareRuns(fixture, method, scenario, inObs, outObs, sessionAuth) {
  const problems = [];
  const where = `${method} [${scenario.name}]`;
  const show = (list) => (list.length ? list.map((f) => `\n          ${describeFetch(f)}`).join('') : ' (none)');
  if (inObs.threw !== outObs.threw || inObs.status !== outObs.status || inObs.body !== outObs.body || inObs.returned !== outObs.returned) {
    const d = (x) => (x.threw ? `threw ${x.threw}` : x.status !== null ? `status ${x.status} body ${x.body}` : `returned ${x.returned}`);
    const logs = outObs.logs.length ? `; output logged: ${outObs.logs.join(' | ').slice(0, 300)}` : '';
    problems.push(`${where}: response changed: input ${d(inObs)}; output ${d(outObs)}${logs}`);
  }
  for (const [kind, pick, cmp] of [
    ['backend', isBackend, (i, o, n) => compareBackend(fixture, method, scenario, i, o, inObs.ownSeen, sessionAuth[n] === SESSION_BEARER)],
    ['third-party', (f) => !isBackend(f), (i, o) => compareThirdParty(scenario, i, o)],
  ]) {
    const ins = inObs.fetches.filter(pick);
    const outs = outObs.fetches.filter(pick);
    if (ins.length !== outs.length) {
      problems.push(`${where}: ${outs.length} ${kind} request(s), the input made ${ins.length}\n        input:${show(ins)}\n        output:${show(outs)}`);
      continue;
    }
    ins.forEach((i, n) => {
      const found = cmp(i, outs[n], n);
      if (found.length) {
        problems.push(`${where}: ${kind} request ${n + 1}: ${found.join('; ')}\n        input:  ${describeFetch(i)}\n        output: ${describeFetch(outs[n])}`);
      }
    });
  }
  return problems;
}

// ---- the fixtures ----------------------------------------------------------------------------

// fixtures/projects/<case>/ (project_fixtures_test.cpp): every route file of input/ but NextAuth's
// own, paired with the same path in output/, held to every rule (apply ran them all), with
// input/routeauth.json as its settings when there is one. The fixtures test asserts that `check`
// on the whole output project prints nothing, so no part of these is left for a person unless a
// routeauth-ignore comment says so (leftByCheck skips them: a route copied out of its project
// would lose the project's settings and auth module).
function discoverProjects(dir) {
  const found = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const input = path.join(dir, name, 'input');
    if (!fs.existsSync(input)) continue;
    const routes = fs.readdirSync(input, { recursive: true }).map(String)
      .filter((rel) => /(^|\/)route\.(ts|tsx|js|jsx|mjs)$/.test(rel.split(path.sep).join('/')) && !rel.includes('[...nextauth]'))
      .sort();
    for (const rel of routes) {
      const key = `projects/${name}/${rel.split(path.sep).join('/')}`;
      found.push({
        id: key,
        key,
        folder: 'migration',
        project: true,
        input: path.join(input, rel),
        output: path.join(dir, name, 'output', rel),
        config: path.join(input, 'routeauth.json'),
        leftForAPerson: fs.readFileSync(path.join(input, rel), 'utf8').includes('routeauth-ignore'),
      });
    }
  }
  return found;
}

function discover(root) {
  const found = [];
  for (const folder of fs.readdirSync(root).sort()) {
    const dir = path.join(root, folder);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (folder === 'projects') {
      found.push(...discoverProjects(dir));
      continue;
    }
    for (const file of fs.readdirSync(dir).sort()) {
      const m = /^(.+)\.input(\.(ts|tsx|js|jsx|mjs))$/.exec(file);
      if (!m) continue;
      const input = path.join(dir, file);
      found.push({
        id: `${folder}/${m[1]}${m[2]}`,
        key: `${folder}/${m[1]}`,
        folder,
        input,
        output: path.join(dir, `${m[1]}.output${m[2]}`),
        config: path.join(dir, `${m[1]}.config.json`),
        // A routeauth-ignore comment silences findings, so check cannot tell; the text can.
        leftForAPerson: fs.readFileSync(input, 'utf8').includes('routeauth-ignore'),
      });
    }
  }
  return found;
}

// What `routeauth check` still reports on each output, run as the fixtures test runs it (the
// folder's rule alone, the default backends): the parts the tool leaves for a person. Each output
// is copied to <tmp>/<folder>/<situation>/app/api/fixture/route.<ext>; one check per folder.
function leftByCheck(routeauth, fixtures) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'routeauth-execute-fixtures-'));
  const left = new Map();
  const byKey = new Map(fixtures.map((f) => [f.key, f]));
  const configOf = (key) => (fs.existsSync(byKey.get(key).config) ? byKey.get(key).config : null);
  try {
    const byFolder = new Map();
    for (const f of fixtures) {
      if (f.project || !fs.existsSync(f.output)) continue;  // see discoverProjects
      const rel = path.join(f.folder, path.basename(f.key), 'app', 'api', 'fixture', `route${path.extname(f.output)}`);
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.copyFileSync(f.output, path.join(tmp, rel));
      if (!byFolder.has(f.folder)) byFolder.set(f.folder, new Map());
      byFolder.get(f.folder).set(path.join(f.folder, path.basename(f.key)), f.key);
    }
    // One check per folder, and one per fixture that has settings of its own.
    const runs = [];
    for (const [folder, keys] of byFolder) {
      const plain = [...keys].filter(([, key]) => !configOf(key));
      if (plain.length) runs.push({ folder, paths: plain.map(([rel]) => rel), config: null });
      for (const [rel, key] of keys) if (configOf(key)) runs.push({ folder, paths: [rel], config: configOf(key) });
    }
    for (const { folder, paths, config } of runs) {
      const disable = folder === 'migration' ? [] : ALL_RULES.filter((id) => id !== folder).flatMap((id) => ['--disable', id]);
      const settings = config ? ['--config', config] : ['--no-config'];
      const named = config && settingsFor(folder, config).config.backends;
      const backends = named ? [] : ['--backend', 'BRAIN_API_URL'];  // the fixtures test's default, not inference
      const keys = byFolder.get(folder);
      let stdout;
      try {
        stdout = execFileSync(routeauth, ['check', ...settings, '--quiet', '--no-progress', '-j', '1', ...backends, ...disable, ...paths],
                              { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        if (error.status !== 1) throw new Error(`routeauth check ${paths.join(' ')} exited ${error.status}: ${error.stderr}`);
        stdout = error.stdout;
      }
      for (const line of stdout.split('\n')) {
        const m = /^(.*)\/app\/api\/fixture\/route\.[a-z]+:\d+:\d+: (error|warning): (.*)$/.exec(line);
        if (!m) continue;
        const key = keys.get(m[1]);
        if (!key) throw new Error(`routeauth check printed a finding for an unknown file: ${line}`);
        if (!left.has(key)) left.set(key, []);
        left.get(key).push(m[3]);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return left;
}

async function runFixture(loader, fixture, verbose) {
  const problems = [];
  const counts = { handlers: 0, runs: 0, backend: 0, inputRan: 0 };
  let firstThrow = null;
  try {
    S = settingsFor(fixture.folder, fixture.config);
  } catch (error) {
    return { problems: [error.message], counts };
  }
  for (const file of [fixture.input, fixture.output]) {
    if (!fs.existsSync(file)) return { problems: [`${path.basename(file)} is missing`], counts };
  }
  let inExports;
  let outExports;
  try {
    inExports = loader.load(fixture.input);
  } catch (error) {
    return { problems: [`the input does not load: ${error.message}`], counts };
  }
  try {
    outExports = loader.load(fixture.output);
  } catch (error) {
    return { problems: [`the output does not load: ${error.message}`], counts };
  }
  const handlers = (exports) => METHODS.filter((m) => typeof exports[m] === 'function');
  const inHandlers = handlers(inExports);
  const outHandlers = handlers(outExports);
  if (!isDeepStrictEqual(inHandlers, outHandlers)) {
    problems.push(`the output exports handlers ${outHandlers.join(', ') || 'none'}, the input ${inHandlers.join(', ') || 'none'}`);
  }
  for (const method of inHandlers.filter((m) => outHandlers.includes(m))) {
    counts.handlers++;
    let sessionAuth = [];
    for (const scenario of SCENARIOS) {
      const inObs = await runHandler(loader, fixture.input, method, scenario);
      if (scenario.session) sessionAuth = inObs.fetches.filter(isBackend).map((f) => f.authorization);
      const outObs = await runHandler(loader, fixture.output, method, scenario);
      counts.runs++;
      counts.backend += outObs.fetches.filter(isBackend).length;
      if (verbose) {
        for (const [side, obs] of [['input', inObs], ['output', outObs]]) {
          console.log(`     ${method} [${scenario.name}] ${side}: ${obs.threw ?? obs.status ?? obs.returned}`);
          for (const f of obs.fetches) console.log(`         ${describeFetch(f)}`);
          for (const c of obs.calls) console.log(`         called ${c.name}(${c.args.join(', ')})`);
        }
      }
      problems.push(...compareRuns(fixture, method, scenario, inObs, outObs, sessionAuth));
      if (!inObs.threw || inObs.fetches.length) counts.inputRan++;
      else firstThrow ??= `${method} [${scenario.name}]: ${inObs.threw}`;
    }
  }
  // A fixture whose input throws before any fetch in every run proves nothing (both sides throw
  // alike): a harness gap, not a pass.
  if (counts.runs > 0 && counts.inputRan === 0) {
    problems.push(`the input threw before any fetch in every run (first: ${firstThrow}): the harness cannot execute it; improve the stubs, or list it in CANNOT_EXECUTE with the reason`);
  }
  return { problems, counts };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(args.nodeModules, 'typescript', 'package.json'))) usage(`no typescript under ${args.nodeModules}`);
  if (!fs.existsSync(args.fixtures)) usage(`${args.fixtures} does not exist`);
  const nodeRequire = createRequire(path.join(args.nodeModules, '..', '__routeauth_behaviour__.js'));
  const ts = nodeRequire('typescript');
  const loader = new Loader(ts, nodeRequire);
  console.log(`fixtures: ${args.fixtures}; typescript ${ts.version}, next ${nodeRequire('next/package.json').version}`);
  console.log(`scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);

  const fixtures = discover(args.fixtures).filter((f) => !args.only || f.id.includes(args.only));
  if (fixtures.length === 0) usage(`no fixture found under ${args.fixtures}${args.only ? ` matching ${args.only}` : ''}`);
  const left = leftByCheck(args.routeauth, fixtures);
  for (const f of fixtures) f.leftForAPerson ||= left.has(f.key);
  const known = new Set(fixtures.map((f) => f.key));
  let failed = 0;
  let skipped = 0;
  let passed = 0;
  const totals = { handlers: 0, runs: 0, backend: 0 };
  for (const key of CANNOT_EXECUTE.keys()) {
    if (!args.only && !known.has(key)) {
      failed++;
      console.log(`FAIL ${key}: listed as unable to execute but no such fixture exists; remove it from CANNOT_EXECUTE`);
    }
  }
  for (const fixture of fixtures) {
    if (CANNOT_EXECUTE.has(fixture.key)) {
      skipped++;
      console.log(`skip ${fixture.id}: ${CANNOT_EXECUTE.get(fixture.key)}`);
      continue;
    }
    const { problems, counts } = await runFixture(loader, fixture, args.verbose);
    for (const k of Object.keys(totals)) totals[k] += counts[k];
    const note = `${counts.handlers} handler(s), ${counts.backend} backend request(s)${fixture.leftForAPerson ? ', parts left for a person' : ''}`;
    if (args.expectViolations) {
      // The harness must catch this broken output: every line of its .violation.txt appears in
      // what it reports.
      const wantedFile = fixture.input.replace(/\.input\.[a-z]+$/, '.violation.txt');
      const wanted = fs.existsSync(wantedFile) ? fs.readFileSync(wantedFile, 'utf8').split('\n').filter((l) => l.trim()) : [];
      const text = problems.join('\n');
      const missed = wanted.filter((w) => !text.includes(w));
      if (wanted.length === 0 || problems.length === 0 || missed.length) {
        failed++;
        console.log(`FAIL ${fixture.id} (${note}): a violation went unreported`);
        if (wanted.length === 0) console.log(`       - ${path.basename(wantedFile)} is missing or empty: list the messages the violation must produce`);
        for (const m of missed) console.log(`       - not reported: ${m}`);
      } else {
        passed++;
        console.log(`ok   ${fixture.id} (${note}): reported as it must be`);
      }
      for (const p of problems) console.log(`       - ${p}`);
      continue;
    }
    if (problems.length) {
      failed++;
      console.log(`FAIL ${fixture.id} (${note})`);
      for (const p of problems) console.log(`       - ${p}`);
    } else {
      passed++;
      console.log(`ok   ${fixture.id} (${note})`);
    }
  }
  console.log(`${fixtures.length} fixtures: ${passed} passed, ${failed} failed, ${skipped} listed as unable to execute; ` +
              `${totals.handlers} handlers run in ${SCENARIOS.length} scenarios (${totals.runs} input/output pairs), ${totals.backend} backend requests checked`);
  return failed === 0 ? 0 : 1;
}

// A handler whose promise never settles leaves nothing for the event loop to do: node then exits
// without main() finishing. Say which one, and fail (no clock involved).
let running = null;
let finished = false;
process.on('exit', () => {
  if (finished) return;
  process.stderr.write(`execute_fixtures: ${running ?? 'the run'} never settled (its promise waits for something no stub provides); the run stopped there\n`);
  process.exitCode = 1;
});

main().then(
  (code) => {
    finished = true;
    process.exitCode = code;
  },
  (error) => {
    finished = true;
    console.error(`execute_fixtures: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 2;
  },
);
