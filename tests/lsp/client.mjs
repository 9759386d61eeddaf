// routeauth lsp driven by a real client: vscode-jsonrpc, the protocol layer of
// vscode-languageclient (VS Code's LSP client), over the server's stdin/stdout.
//
//   node client.mjs ROUTEAUTH NPM_DIR EXAMPLE WORK_DIR
//
// On a fresh copy of EXAMPLE: opens every route file, waits for its diagnostics, asks for the
// source.fixAll.routeauth code action and applies its WorkspaceEdit to the buffer; then edits one
// buffer incrementally and sees a finding appear and go; shuts the server down (exit status 0).
// Finally runs `routeauth apply` on the copy and compares every file with the buffer the code
// actions produced, byte for byte.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [routeauth, npmDir, example, workDir] = process.argv.slice(2);
if (!workDir) {
  console.error('usage: node client.mjs ROUTEAUTH NPM_DIR EXAMPLE WORK_DIR');
  process.exit(2);
}
const require = createRequire(path.join(npmDir, 'package.json'));
const rpc = require('vscode-jsonrpc/node');

let failures = 0;
function check(ok, what) {
  if (!ok) {
    failures++;
    console.error(`FAIL: ${what}`);
  }
}

// A fresh copy of the example.
const copy = path.join(workDir, path.basename(example));
fs.rmSync(workDir, { recursive: true, force: true });
fs.mkdirSync(workDir, { recursive: true });
fs.cpSync(example, copy, { recursive: true, filter: (p) => !/[/\\](node_modules|\.next)$/.test(p) });

function routeFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(p));
    else if (/^route\.(ts|tsx|js|jsx|mjs)$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}
const routes = routeFiles(path.join(copy, 'app'));
const nextauth = routes.find((p) => p.includes('[...nextauth]'));
check(routes.length >= 5 && nextauth, `example routes found: ${routes.length}`);

// LSP positions are UTF-16 code units, which is what JavaScript strings index.
function offsetAt(text, pos) {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  return Math.min(offset + pos.character, end);
}
function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
  }
  return text;
}

const server = spawn(routeauth, ['lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
const connection = rpc.createMessageConnection(
  new rpc.StreamMessageReader(server.stdout),
  new rpc.StreamMessageWriter(server.stdin),
);

// The diagnostics published for each URI, and whoever waits for the next ones.
const published = new Map();
const waiting = new Map();
connection.onNotification('textDocument/publishDiagnostics', (params) => {
  published.set(params.uri, params);
  const w = waiting.get(params.uri);
  if (w) {
    waiting.delete(params.uri);
    w(params);
  }
});
const nextDiagnostics = (uri) => new Promise((resolve) => waiting.set(uri, resolve));
// The server registers a watcher for its config files (the client says it can).
const registrations = [];
connection.onRequest('client/registerCapability', (params) => {
  registrations.push(...params.registrations);
  return null;
});
connection.listen();

const uriOf = (p) => pathToFileURL(p).href;
const init = await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: uriOf(copy),
  workspaceFolders: [{ uri: uriOf(copy), name: 'brain-app' }],
  capabilities: { workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
});
check(init.capabilities.workspace?.workspaceFolders?.supported === true, 'workspaceFolders advertised');
check(init.capabilities.textDocumentSync.change === 2, 'incremental sync advertised');
check(init.capabilities.codeActionProvider.codeActionKinds.includes('source.fixAll.routeauth'), 'fixAll advertised');
await connection.sendNotification('initialized', {});

const buffers = new Map();  // path -> text after the fix-all code action
let versions = 1;
for (const file of routes) {
  const uri = uriOf(file);
  const text = fs.readFileSync(file, 'utf8');
  buffers.set(file, text);
  if (file === nextauth) {
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    continue;
  }
  const diagnosed = nextDiagnostics(uri);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  const { diagnostics } = await diagnosed;
  for (const d of diagnostics) {
    check(d.source === 'routeauth' && typeof d.code === 'string' && d.range && d.message, `diagnostic shape in ${file}`);
    check(d.codeDescription?.href?.endsWith(`#rule-${d.code}`), `codeDescription of ${d.code} in ${file}`);
  }
  const actions = await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  });
  check(actions.every((a) => a.kind === 'source.fixAll.routeauth'), `only fixAll actions for ${file}`);
  if (actions.length === 0) continue;
  const edits = actions[0].edit.changes[uri];
  const fixed = applyEdits(text, edits);
  buffers.set(file, fixed);
  // The fixed buffer, sent as the editor would (the edit as an incremental change), has no
  // fixable finding left.
  const after = nextDiagnostics(uri);
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++versions },
    contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
  });
  const left = await after;
  const again = await connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
  });
  check(again.length === 0, `no code action after the fix in ${file} (${left.diagnostics.length} diagnostics left)`);
}
// NextAuth's own route is not one of ours: nothing was ever published for it. (The server answers
// in order, so anything published for it came before this answer.)
await connection.sendRequest('textDocument/codeAction', {
  textDocument: { uri: uriOf(nextauth) }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] },
});
check(!published.has(uriOf(nextauth)), 'no diagnostics for the NextAuth route');

// An incremental edit makes a finding appear, and undoing it makes it go.
const target = routes.find((p) => buffers.get(p).includes("cache: 'no-store'"));
check(target, "a fixed route with cache: 'no-store'");
if (target) {
  const uri = uriOf(target);
  const text = buffers.get(target);
  const at = text.indexOf("cache: 'no-store',");
  const range = { start: positionAt(text, at), end: positionAt(text, at + "cache: 'no-store',".length) };
  let next = nextDiagnostics(uri);
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++versions }, contentChanges: [{ range, text: '' }],
  });
  const removed = await next;
  check(removed.diagnostics.some((d) => d.code === 'no-store'), `no-store reported once the option is deleted in ${target}`);
  // A routeauth.json that turns no-store off, announced as the registered watcher would: the open
  // buffer is checked again with it; removing the file brings the finding back.
  check(registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles' &&
    r.registerOptions.watchers.some((w) => w.globPattern === '**/routeauth.json')), 'config watcher registered');
  const configFile = path.join(copy, 'routeauth.json');
  fs.writeFileSync(configFile, JSON.stringify({ rules: { 'no-store': false } }));
  next = nextDiagnostics(uri);
  await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configFile), type: 1 }] });
  const quiet = await next;
  check(!quiet.diagnostics.some((d) => d.code === 'no-store'), 'no-store off once routeauth.json turns it off');
  fs.rmSync(configFile);
  next = nextDiagnostics(uri);
  await connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configFile), type: 3 }] });
  const loud = await next;
  check(loud.diagnostics.some((d) => d.code === 'no-store'), 'no-store back once routeauth.json is gone');
  next = nextDiagnostics(uri);
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: ++versions },
    contentChanges: [{ range: { start: range.start, end: range.start }, text: "cache: 'no-store'," }],
  });
  const restored = await next;
  check(!restored.diagnostics.some((d) => d.code === 'no-store'), 'no-store gone once the option is typed back');
}

// Bad input does not end the server: an unknown request is answered with MethodNotFound.
try {
  await connection.sendRequest('routeauth/noSuchMethod', {});
  check(false, 'an unknown method is refused');
} catch (e) {
  check(e.code === -32601, `MethodNotFound for an unknown method (got ${e.code})`);
}

await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
const status = await exited;
check(status === 0, `exit status 0 after shutdown (got ${status})`);
connection.dispose();

// `routeauth apply` on the same files writes what the code actions produced, byte for byte. (The
// files are named one by one, as an editor names them: the copy may sit in an ignored folder, a
// build tree, where apply given the folder would skip them.)
const applied = spawnSync(routeauth, ['apply', '--quiet', ...routes], { encoding: 'utf8' });
check(applied.status === 0 || applied.status === 1, `routeauth apply exit ${applied.status}: ${applied.stderr}`);
let changed = 0;
for (const file of routes) {
  const written = fs.readFileSync(file, 'utf8');
  if (written !== fs.readFileSync(path.join(example, path.relative(copy, file)), 'utf8')) changed++;
  check(written === buffers.get(file), `apply and the fixAll code action agree on ${path.relative(copy, file)}`);
}
check(changed > 0, 'apply changed some route');
console.log(`routeauth lsp: ${routes.length} routes opened, ${changed} fixed by the code action as apply writes them; ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
