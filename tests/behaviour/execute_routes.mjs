#!/usr/bin/env node
// Behaviour test: runs the route handlers of a (migrated) Next.js app and checks what they
// send to the backend, not what their text looks like.
//
// Every route file under app/api/brain/** is transpiled with the installed `typescript`
// (transpileModule: CommonJS, esModuleInterop) and evaluated with a private `require` that maps
//   next-auth, next-auth/next          -> a stub whose getServerSession returns the session the
//                                        current run controls (and records its calls)
//   the app's [...nextauth] route       -> a stub exporting authOptions (whether reached through
//                                        a tsconfig `paths` alias such as "@/..." or a relative
//                                        path); other aliased / relative modules are loaded the
//                                        same way as the routes
//   anything else (next/server, ...)    -> the REAL installed package
// The global fetch is a recorder answering 200 {"ok":true,"results":[]}.
//
// Each exported GET/POST/PUT/PATCH/DELETE is called with a NextRequest for
// http://localhost:3000/api/brain/...?page=2&tenant_id=evil (JSON body for mutations,
// `authorization: Bearer caller-token`) and `{ params }` (every [segment] = '7'), twice: with the
// session SESSION below and with no session. With --baseline, the original (un-migrated) app is
// run the same way, so checks can compare with what the route did before the migration.
//
// Usage:
//   node execute_routes.mjs --app DIR [--baseline DIR] [--node-modules DIR]
//        [--expect name,name,...] [--routes SUBSTRING] [--verbose] [--list]
// Prints one line per handler and expectation, then "N passed, N failed"; exits 1 on any
// failure, 2 on bad usage.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire, Module } from 'node:module';
import { isDeepStrictEqual } from 'node:util';

// ---- the fixed scenario ----------------------------------------------------------------------

const BACKEND = 'http://backend.test';
const THIRD_PARTY = 'https://hooks.slack.test/x';
const SESSION = Object.freeze({ access_token: 'session-token', user: { tenant_id: 't-42' } });
const SESSION_BEARER = 'Bearer session-token';
const CALLER_BEARER = 'Bearer caller-token';
const SESSION_TENANT = 't-42';
const CLIENT_QUERY = '?page=2&tenant_id=evil';
const MUTATION_BODY = { id: 7, name: 'Behaviour test', target_url: 'https://example.test/hook' };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const READS = new Set(['GET']);
const RUNS = [
  { name: 'session', session: SESSION },
  { name: 'no-session', session: null },
];

process.env.BRAIN_API_URL = BACKEND;
process.env.SLACK_WEBHOOK_URL = THIRD_PARTY;
const BACKEND_HOST = new URL(BACKEND).host;

// ---- command line ----------------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`execute_routes: ${message}`);
  console.error('usage: node execute_routes.mjs --app DIR [--baseline DIR] [--node-modules DIR] ' +
                '[--expect a,b,...] [--routes SUBSTRING] [--verbose] [--list]');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { expect: null, routes: null, verbose: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) usage(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--app': args.app = path.resolve(value()); break;
      case '--baseline': args.baseline = path.resolve(value()); break;
      case '--node-modules': args.nodeModules = path.resolve(value()); break;
      case '--expect': args.expect = value().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--routes': args.routes = value(); break;
      case '--verbose': args.verbose = true; break;
      case '--list': args.list = true; break;
      case '--help': case '-h': usage();
      default: usage(`unknown argument ${arg}`);
    }
  }
  return args;
}

// ---- helpers used by the expectations --------------------------------------------------------

const isBackend = (f) => new URL(f.url).host === BACKEND_HOST;
const backendFetches = (obs) => obs.fetches.filter(isBackend);
const backendGets = (obs) => backendFetches(obs).filter((f) => f.method === 'GET');
const describeFetch = (f) => `${f.method} ${f.url}`;
const paramValues = (f, key) => new URL(f.url).searchParams.getAll(key);

function paramKeys(...fetches) {
  const keys = new Set();
  for (const f of fetches) for (const k of new URL(f.url).searchParams.keys()) keys.add(k);
  return [...keys];
}

// The handler responded: no throw, a Response, and (with a baseline) the same status as the
// original route in the same run, else no 5xx.
function responded(obs, base, run, problems) {
  if (obs.threw) {
    problems.push(`${run}: handler threw ${obs.threw}`);
    return;
  }
  if (!obs.isResponse) {
    problems.push(`${run}: handler returned ${obs.returned}, not a Response`);
    return;
  }
  const wanted = base && base.isResponse ? base.status : null;
  if (wanted !== null ? obs.status !== wanted : obs.status >= 500) {
    const logs = obs.logs.length ? `; it logged: ${obs.logs.join(' | ')}` : '';
    problems.push(`${run}: status ${obs.status} (${wanted !== null ? `original route: ${wanted}` : 'expected < 500'}), body ${obs.body}${logs}`);
  }
}

// ---- the expectations ------------------------------------------------------------------------
// Each gets { handler, runs: {session, 'no-session'}, baseline: same or null } and returns the
// list of problems (empty = pass). `applies` narrows which handlers it is about; `suite` is an
// optional whole-run check so that a per-handler check cannot pass vacuously.

const EXPECTATIONS = {
  'backend-reached': {
    description: 'every handler responds (no throw, same status as the original route) and fetches BRAIN_API_URL, with and without a session',
    check({ runs, baseline }) {
      const problems = [];
      for (const run of Object.keys(runs)) {
        responded(runs[run], baseline?.[run], run, problems);
        if (backendFetches(runs[run]).length === 0) {
          const other = runs[run].fetches.map(describeFetch).join(', ') || 'no fetch at all';
          problems.push(`${run}: no fetch to ${BACKEND} (${other})`);
        }
      }
      return problems;
    },
  },

  'third-party-clean': {
    description: 'a fetch to any host but the backend never carries an Authorization header, with or without a session',
    check({ runs }) {
      const problems = [];
      for (const [run, obs] of Object.entries(runs)) {
        for (const f of obs.fetches.filter((x) => !isBackend(x))) {
          if ('authorization' in f.headers) {
            problems.push(`${run}: ${describeFetch(f)} sent authorization: ${JSON.stringify(f.headers.authorization)}`);
          }
        }
      }
      return problems;
    },
    suite(observations) {
      const seen = observations.some(({ runs }) => Object.values(runs).some((obs) => obs.fetches.some((f) => !isBackend(f))));
      return seen ? [] : [`no handler fetched a third-party host (${THIRD_PARTY}): the check would be vacuous`];
    },
  },

  'auth-header': {
    description: `every backend fetch sends "${SESSION_BEARER}" with the session, the caller's "${CALLER_BEARER}" without it`,
    check({ runs }) {
      const problems = [];
      const wanted = { session: SESSION_BEARER, 'no-session': CALLER_BEARER };
      for (const [run, obs] of Object.entries(runs)) {
        const fetches = backendFetches(obs);
        if (fetches.length === 0) problems.push(`${run}: no backend fetch to check`);
        for (const f of fetches) {
          if (f.headers.authorization !== wanted[run]) {
            problems.push(`${run}: ${describeFetch(f)} sent authorization ${JSON.stringify(f.headers.authorization)}, want ${JSON.stringify(wanted[run])}`);
          }
        }
      }
      return problems;
    },
  },

  'tenant-param': {
    description: `with the session every GET backend URL has exactly tenant_id=${SESSION_TENANT}; without it, only the tenant_id the original route sent (never "undefined"); other params (page=2) reach the backend as before`,
    needsBaseline: true,
    applies: (handler) => READS.has(handler.method),
    check({ runs, baseline }) {
      const problems = [];
      for (const [run, obs] of Object.entries(runs)) {
        const gets = backendGets(obs);
        const before = backendGets(baseline[run]);
        if (gets.length === 0) problems.push(`${run}: no backend GET to check`);
        if (gets.length !== before.length) {
          problems.push(`${run}: ${gets.length} backend GETs, the original route made ${before.length}`);
        }
        gets.forEach((f, i) => {
          const tenants = paramValues(f, 'tenant_id');
          const old = before[i];
          for (const bad of ['undefined', 'null', '']) {
            if (tenants.includes(bad)) problems.push(`${run}: ${describeFetch(f)} has tenant_id=${JSON.stringify(bad)}`);
          }
          if (run === 'session') {
            if (!isDeepStrictEqual(tenants, [SESSION_TENANT])) {
              problems.push(`${run}: ${describeFetch(f)} has tenant_id ${JSON.stringify(tenants)}, want exactly ["${SESSION_TENANT}"]`);
            }
          } else if (old && !isDeepStrictEqual(tenants, paramValues(old, 'tenant_id'))) {
            problems.push(`${run}: ${describeFetch(f)} has tenant_id ${JSON.stringify(tenants)}, the original route sent ${JSON.stringify(paramValues(old, 'tenant_id'))}`);
          }
          if (!old) return;
          // Everything but tenant_id reaches the backend as it did before (page=2 included).
          for (const key of paramKeys(f, old).filter((k) => k !== 'tenant_id')) {
            const now = paramValues(f, key).sort();
            const then = paramValues(old, key).sort();
            if (!isDeepStrictEqual(now, then)) {
              const what = key === 'page' ? 'the client\'s page=2 no longer reaches the backend as before' : `param ${key} changed`;
              problems.push(`${run}: ${what}: ${JSON.stringify(now)}, original route sent ${JSON.stringify(then)} (${describeFetch(f)})`);
            }
          }
        });
      }
      return problems;
    },
  },

  'no-store': {
    description: "every GET backend fetch of a GET handler has cache: 'no-store'",
    applies: (handler) => READS.has(handler.method),
    check({ runs }) {
      const problems = [];
      for (const [run, obs] of Object.entries(runs)) {
        const gets = backendGets(obs);
        if (gets.length === 0) problems.push(`${run}: no backend GET to check`);
        for (const f of gets) {
          if (f.cache !== 'no-store') problems.push(`${run}: ${describeFetch(f)} has cache ${JSON.stringify(f.cache)}`);
        }
      }
      return problems;
    },
  },

  'session-call': {
    description: 'with a session, getServerSession(authOptions) is awaited before the first backend fetch',
    check({ runs }) {
      const problems = [];
      const obs = runs.session;
      const first = obs.events.findIndex((e) => e.kind === 'fetch' && isBackend(e.fetch));
      const call = obs.events.findIndex((e) => e.kind === 'session');
      if (call === -1) problems.push('getServerSession was never called');
      else if (first !== -1 && call > first) problems.push('getServerSession was called after the first backend fetch');
      for (const e of obs.events.filter((x) => x.kind === 'session')) {
        if (e.args[0] !== AUTH_OPTIONS) problems.push(`getServerSession called with ${describeValue(e.args[0])}, not the app's authOptions`);
      }
      return problems;
    },
  },
};

// ---- the stubs -------------------------------------------------------------------------------

const AUTH_OPTIONS = Object.freeze({ providers: [], __routeauthBehaviourStub: 'authOptions' });
const state = { session: null, events: [], fetches: [] };

function describeValue(v) {
  if (v === undefined) return 'undefined';
  try { return JSON.stringify(v); } catch { return String(v); }
}

const nextAuthStub = Object.freeze({
  __esModule: true,
  getServerSession: async (...args) => {
    state.events.push({ kind: 'session', args });
    return state.session === null ? null : structuredClone(state.session);
  },
  default: function NextAuth() {
    return () => new Response(null, { status: 404 });
  },
});

const authRouteStub = Object.freeze({
  __esModule: true,
  authOptions: AUTH_OPTIONS,
  GET: () => new Response(null, { status: 404 }),
  POST: () => new Response(null, { status: 404 }),
});

function headersObject(init) {
  const out = {};
  for (const [k, v] of new Headers(init)) out[k.toLowerCase()] = v;
  return out;
}

globalThis.fetch = async (input, init = {}) => {
  const fromRequest = input instanceof Request ? input : null;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const record = {
    url: new URL(url).href,
    method: String(init.method ?? fromRequest?.method ?? 'GET').toUpperCase(),
    headers: headersObject(init.headers ?? fromRequest?.headers),
    body: init.body ?? null,
    cache: init.cache ?? fromRequest?.cache,
  };
  state.fetches.push(record);
  state.events.push({ kind: 'fetch', fetch: record });
  return new Response(JSON.stringify({ ok: true, results: [] }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};

// ---- loading an app's route files ------------------------------------------------------------

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mjs)$/;

class App {
  constructor(dir, ts, nodeRequire) {
    this.dir = dir;
    this.ts = ts;
    this.nodeRequire = nodeRequire;
    this.cache = new Map();
    this.aliases = this.readAliases();
  }

  // tsconfig `paths` (with `extends` etc. handled by TypeScript itself).
  readAliases() {
    const { ts } = this;
    const file = path.join(this.dir, 'tsconfig.json');
    if (!fs.existsSync(file)) return [];
    const read = ts.readConfigFile(file, ts.sys.readFile);
    if (read.error) throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}`);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, this.dir, undefined, file);
    const options = parsed.options;
    const base = options.baseUrl ?? options.pathsBasePath ?? this.dir;
    return Object.entries(options.paths ?? {}).map(([pattern, targets]) => ({ pattern, targets, base }));
  }

  resolveFile(candidate) {
    const tries = [candidate, ...SOURCE_EXTENSIONS.map((e) => candidate + e),
                   ...SOURCE_EXTENSIONS.map((e) => path.join(candidate, 'index' + e))];
    return tries.find((p) => fs.existsSync(p) && fs.statSync(p).isFile()) ?? null;
  }

  // A relative specifier or a tsconfig alias resolved to a file of this app; null for packages.
  resolveLocal(spec, fromFile) {
    if (spec.startsWith('./') || spec.startsWith('../')) {
      return { file: this.resolveFile(path.resolve(path.dirname(fromFile), spec)), local: true };
    }
    for (const { pattern, targets, base } of this.aliases) {
      const star = pattern.indexOf('*');
      let captured;
      if (star === -1) {
        if (spec !== pattern) continue;
        captured = '';
      } else {
        const prefix = pattern.slice(0, star);
        const suffix = pattern.slice(star + 1);
        if (!spec.startsWith(prefix) || !spec.endsWith(suffix) || spec.length < prefix.length + suffix.length) continue;
        captured = spec.slice(prefix.length, spec.length - suffix.length);
      }
      for (const target of targets) {
        const file = this.resolveFile(path.resolve(base, target.replace('*', captured)));
        if (file) return { file, local: true };
      }
      return { file: null, local: true };
    }
    return { file: null, local: false };
  }

  requireFrom(fromFile) {
    return (spec) => {
      if (spec === 'next-auth' || spec === 'next-auth/next') return nextAuthStub;
      const { file, local } = this.resolveLocal(spec, fromFile);
      if (local && !file) throw new Error(`cannot resolve "${spec}" from ${path.relative(this.dir, fromFile)}`);
      if (file && file.split(path.sep).includes('[...nextauth]')) return authRouteStub;
      if (file) return this.load(file);
      return this.nodeRequire(spec);
    };
  }

  load(file) {
    const cached = this.cache.get(file);
    if (cached) return cached.exports;
    const { ts } = this;
    const source = fs.readFileSync(file, 'utf8');
    const out = ts.transpileModule(source, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        jsx: ts.JsxEmit.ReactJSX,
        inlineSourceMap: true,
      },
    });
    if (out.diagnostics?.length) {
      const text = out.diagnostics.map((d) => {
        const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
        const pos = where ? `:${where.line + 1}:${where.character + 1}` : '';
        return `${path.relative(this.dir, file)}${pos}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      throw new Error(`does not transpile:\n  ${text.join('\n  ')}`);
    }
    const module = { exports: {}, filename: file, id: file, loaded: false };
    this.cache.set(file, module);
    const wrapper = vm.runInThisContext(Module.wrap(out.outputText), { filename: file });
    wrapper.call(module.exports, module.exports, this.requireFrom(file), module, file, path.dirname(file));
    module.loaded = true;
    return module.exports;
  }

  routeFiles(under, filter) {
    const root = path.join(this.dir, under);
    const found = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name === 'node_modules' || entry.name === '.next') continue;
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (ROUTE_FILE.test(entry.name)) found.push(p);
      }
    };
    if (fs.existsSync(root)) walk(root);
    return found.filter((f) => !filter || path.relative(this.dir, f).includes(filter));
  }
}

// /api/brain/django-crm/deals/[id] and its params ({ id: '7' }; a catch-all gets ['7']).
function routeOf(app, file) {
  const rel = path.relative(path.join(app.dir, 'app'), path.dirname(file)).split(path.sep)
    .filter((seg) => !(seg.startsWith('(') && seg.endsWith(')')));  // route groups are not in the URL
  const params = {};
  const urlSegments = rel.map((seg) => {
    const m = /^\[\[?(\.\.\.)?([^\]]+)\]?\]$/.exec(seg);
    if (!m) return seg;
    params[m[2]] = m[1] ? ['7'] : '7';
    return '7';
  });
  return { label: '/' + rel.join('/'), path: '/' + urlSegments.join('/'), params };
}

// ---- running the handlers --------------------------------------------------------------------

async function observe(NextRequest, handlerFn, method, route, run) {
  const headers = { authorization: CALLER_BEARER };
  const init = { method, headers };
  if (!READS.has(method)) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(MUTATION_BODY);
  }
  const request = new NextRequest(`http://localhost:3000${route.path}${CLIENT_QUERY}`, init);
  state.session = run.session;
  state.events = [];
  state.fetches = [];
  const obs = { threw: null, isResponse: false, returned: undefined, status: null, body: '', logs: [] };
  const saved = { error: console.error, warn: console.warn, log: console.log };
  const capture = (...a) => obs.logs.push(a.map((x) => (x instanceof Error ? `${x.name}: ${x.message}` : String(x))).join(' '));
  console.error = console.warn = console.log = capture;
  try {
    const result = await handlerFn(request, { params: structuredClone(route.params) });
    obs.returned = describeValue(result);
    if (result instanceof Response) {
      obs.isResponse = true;
      obs.status = result.status;
      obs.body = (await result.text()).slice(0, 200);
    }
  } catch (error) {
    obs.threw = error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
  } finally {
    Object.assign(console, saved);
  }
  obs.fetches = state.fetches;
  obs.events = state.events;
  return obs;
}

async function runApp(app, NextRequest, filter) {
  const handlers = [];
  const loadErrors = [];
  for (const file of app.routeFiles(path.join('app', 'api', 'brain'), filter)) {
    const route = routeOf(app, file);
    let exports;
    try {
      exports = app.load(file);
    } catch (error) {
      loadErrors.push({ route, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    for (const method of METHODS) {
      if (typeof exports[method] !== 'function') continue;
      const runs = {};
      for (const run of RUNS) runs[run.name] = await observe(NextRequest, exports[method], method, route, run);
      handlers.push({ key: `${method} ${route.label}`, handler: { method, route: route.label, file }, runs });
    }
  }
  return { handlers, loadErrors };
}

// ---- main ------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const [name, e] of Object.entries(EXPECTATIONS)) console.log(`${name.padEnd(18)} ${e.description}`);
    return 0;
  }
  if (!args.app) usage('--app is required');
  const names = args.expect ?? Object.keys(EXPECTATIONS);
  const unknown = names.filter((n) => !(n in EXPECTATIONS));
  if (unknown.length) usage(`unknown expectation(s): ${unknown.join(', ')} (known: ${Object.keys(EXPECTATIONS).join(', ')})`);
  if (names.length === 0) usage('--expect names no expectation');
  if (names.some((n) => EXPECTATIONS[n].needsBaseline) && !args.baseline) {
    usage(`${names.filter((n) => EXPECTATIONS[n].needsBaseline).join(', ')} compare with the original app: pass --baseline DIR`);
  }

  const nodeModules = args.nodeModules ?? path.join(args.app, 'node_modules');
  if (!fs.existsSync(path.join(nodeModules, 'typescript', 'package.json'))) usage(`no typescript under ${nodeModules}`);
  const nodeRequire = createRequire(path.join(nodeModules, '..', '__routeauth_behaviour__.js'));
  const ts = nodeRequire('typescript');
  const { NextRequest } = nodeRequire('next/server');

  console.log(`app: ${args.app}`);
  if (args.baseline) console.log(`baseline: ${args.baseline}`);
  console.log(`typescript ${ts.version}, next ${nodeRequire('next/package.json').version}; expectations: ${names.join(', ')}`);

  const migrated = await runApp(new App(args.app, ts, nodeRequire), NextRequest, args.routes);
  const baseline = args.baseline ? await runApp(new App(args.baseline, ts, nodeRequire), NextRequest, args.routes) : null;
  const baselineByKey = new Map((baseline?.handlers ?? []).map((h) => [h.key, h.runs]));

  let passed = 0;
  let failed = 0;
  let notApplicable = 0;
  const fail = (what, problems) => {
    failed++;
    console.log(`FAIL ${what}`);
    for (const p of problems) console.log(`       - ${p}`);
  };

  for (const { route, message } of [...migrated.loadErrors, ...(baseline?.loadErrors ?? []).map((e) => ({ ...e, message: `(baseline) ${e.message}` }))]) {
    fail(`load ${route.label}`, [message]);
  }
  if (migrated.handlers.length === 0) fail('handlers', ['no exported GET/POST/PUT/PATCH/DELETE handler found under app/api/brain']);

  for (const h of migrated.handlers) {
    const base = baselineByKey.get(h.key) ?? null;
    if (args.verbose) {
      for (const [run, obs] of Object.entries(h.runs)) {
        console.log(`     ${h.key} [${run}] -> ${obs.threw ?? obs.status}`);
        for (const f of obs.fetches) console.log(`         fetch ${describeFetch(f)} cache=${f.cache} headers=${JSON.stringify(f.headers)}`);
      }
    }
    for (const name of names) {
      const e = EXPECTATIONS[name];
      const what = `${name.padEnd(18)} ${h.key}`;
      if (e.applies && !e.applies(h.handler)) {
        notApplicable++;
        console.log(`n/a  ${what}`);
        continue;
      }
      if (e.needsBaseline && !base) {
        fail(what, [`no ${h.handler.method} handler in the original route to compare with`]);
        continue;
      }
      const problems = e.check({ handler: h.handler, runs: h.runs, baseline: base });
      if (problems.length) fail(what, problems);
      else {
        passed++;
        console.log(`ok   ${what}`);
      }
    }
  }
  for (const name of names) {
    if (!EXPECTATIONS[name].suite) continue;
    if (args.routes) {  // a whole-app check says nothing about a subset of the routes
      notApplicable++;
      console.log(`n/a  ${name.padEnd(18)} (whole app: --routes given)`);
      continue;
    }
    const problems = EXPECTATIONS[name].suite(migrated.handlers);
    const what = `${name.padEnd(18)} (whole app)`;
    if (problems.length) fail(what, problems);
    else {
      passed++;
      console.log(`ok   ${what}`);
    }
  }

  if (notApplicable) console.log(`(${notApplicable} handler/expectation pairs not applicable)`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(`execute_routes: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 2;
  },
);
