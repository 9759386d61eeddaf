// jscodeshift transform of the guide's pattern, of the same scope as routeauth's session-import,
// session-call and auth-header rules (and no-store), for bench/compare.sh:
//
//   jscodeshift --parser=ts --extensions=ts --no-babel --cpus=2 -t bench/jscodeshift/transform.js DIR
//
// For every exported route handler (function declaration, `export const GET = async () => ...`,
// `export const GET = wrapper(async () => ...)`, `export { handler as GET }`) that calls fetch on
// a URL built from BRAIN_API_URL (directly, or through a local initialised from it):
//   - `const session = await getServerSession(authOptions)` first in its try block (or body);
//   - a request parameter when it has none;
//   - on each backend fetch, `'Authorization': session?.access_token ? `Bearer ...` : (request
//     .headers.get('authorization') || '')` in its headers object, replacing a forwarded one;
//   - GET: `cache: 'no-store'` when the fetch has no cache option;
// and the getServerSession / authOptions imports after the last import. It is not routeauth:
// no tenant_id, no guide-style headers variable for GET, no style matching beyond what recast
// keeps, no scope-aware names. Its cost (parse with Babel, walk, print with recast) is what a
// jscodeshift codemod of this migration costs.
'use strict';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const READS = new Set(['GET', 'HEAD']);
const BACKEND = 'BRAIN_API_URL';
const AUTH_OPTIONS_MODULE = '@/app/api/auth/[...nextauth]/route';

module.exports = function transform(file, api) {
  const j = api.jscodeshift;
  const root = j(file.source);

  const parseExpression = (text) =>
    j('const __x = ' + text + ';').find(j.VariableDeclarator).get().node.init;
  const mentionsBackend = (node) =>
    j(node).find(j.Identifier, { name: BACKEND }).size() > 0 ||
    (node.type === 'Identifier' && node.name === BACKEND);
  const isFunction = (node) =>
    node && (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' ||
             node.type === 'FunctionDeclaration');
  const keyName = (prop) =>
    prop.key && (prop.key.type === 'Identifier' ? prop.key.name : String(prop.key.value));

  // ---- the handlers: [method, path of the function] -----------------------------------------
  const topFunctions = new Map();
  root.find(j.Program).get('body').each((p) => {
    const n = p.node;
    if (n.type === 'FunctionDeclaration' && n.id) topFunctions.set(n.id.name, p);
    if (n.type === 'VariableDeclaration') {
      n.declarations.forEach((d, i) => {
        if (d.id.type === 'Identifier' && isFunction(d.init)) {
          topFunctions.set(d.id.name, p.get('declarations', i, 'init'));
        }
      });
    }
  });
  const handlers = [];
  root.find(j.ExportNamedDeclaration).forEach((p) => {
    const d = p.node.declaration;
    if (!d) {
      (p.node.specifiers || []).forEach((s) => {
        const method = s.exported && s.exported.name;
        if (METHODS.has(method) && topFunctions.has(s.local.name)) {
          handlers.push([method, topFunctions.get(s.local.name)]);
        }
      });
      return;
    }
    if (d.type === 'FunctionDeclaration' && d.id && METHODS.has(d.id.name)) {
      handlers.push([d.id.name, p.get('declaration')]);
    } else if (d.type === 'VariableDeclaration') {
      d.declarations.forEach((decl, i) => {
        if (decl.id.type !== 'Identifier' || !METHODS.has(decl.id.name) || !decl.init) return;
        let path = p.get('declaration', 'declarations', i, 'init');
        if (decl.init.type === 'CallExpression') {
          const k = decl.init.arguments.findIndex(isFunction);
          if (k < 0) return;
          path = path.get('arguments', k);
        }
        if (isFunction(path.node)) handlers.push([decl.id.name, path]);
      });
    }
  });

  let changed = false;
  for (const [method, fnPath] of handlers) {
    const fn = fnPath.node;
    // Locals initialised from the backend base (`let url = `${BRAIN_API_URL}/...``).
    const backendLocals = new Set();
    j(fn).find(j.VariableDeclarator).forEach((p) => {
      const n = p.node;
      if (n.id.type === 'Identifier' && n.init && mentionsBackend(n.init)) backendLocals.add(n.id.name);
    });
    const fetches = j(fn)
      .find(j.CallExpression, { callee: { type: 'Identifier', name: 'fetch' } })
      .filter((p) => {
        const url = p.node.arguments[0];
        if (!url) return false;
        return mentionsBackend(url) || (url.type === 'Identifier' && backendLocals.has(url.name));
      });
    if (fetches.size() === 0) continue;
    changed = true;

    // The request parameter.
    let request = 'request';
    const first = fn.params[0];
    if (first && first.type === 'Identifier') {
      request = first.name;
    } else if (!first) {
      const id = j.identifier('request');
      id.typeAnnotation = j.tsTypeAnnotation(j.tsTypeReference(j.identifier('NextRequest')));
      fn.params.push(id);
    }

    // The session call.
    let session = null;
    j(fn).find(j.VariableDeclarator).forEach((p) => {
      const init = p.node.init;
      const call = init && init.type === 'AwaitExpression' ? init.argument : init;
      if (call && call.type === 'CallExpression' && call.callee.name === 'getServerSession' &&
          p.node.id.type === 'Identifier') {
        session = p.node.id.name;
      }
    });
    if (!session) {
      session = 'session';
      const decl = j.variableDeclaration('const', [
        j.variableDeclarator(j.identifier(session), j.awaitExpression(
          j.callExpression(j.identifier('getServerSession'), [j.identifier('authOptions')]))),
      ]);
      if (fn.body.type !== 'BlockStatement') {
        fn.body = j.blockStatement([decl, j.returnStatement(fn.body)]);
      } else {
        const tryStatement = fn.body.body.find((s) => s.type === 'TryStatement');
        (tryStatement ? tryStatement.block.body : fn.body.body).unshift(decl);
      }
      fn.async = true;
    }

    // The Authorization header, and no-store for reads.
    fetches.forEach((p) => {
      const args = p.node.arguments;
      if (args.length < 2) args.push(j.objectExpression([]));
      const options = args[1];
      if (options.type !== 'ObjectExpression') return;
      let headers = options.properties.find((prop) => keyName(prop) === 'headers');
      if (!headers) {
        headers = j.objectProperty(j.identifier('headers'), j.objectExpression([]));
        options.properties.push(headers);
      }
      if (headers.value.type === 'ObjectExpression') {
        headers.value.properties = headers.value.properties.filter(
          (prop) => !(keyName(prop) || '').match(/^authorization$/i));
        headers.value.properties.push(j.objectProperty(
          j.stringLiteral('Authorization'),
          parseExpression(session + '?.access_token ? `Bearer ${' + session + '.access_token}` : (' +
                          request + ".headers.get('authorization') || '')")));
      }
      if (READS.has(method) && !options.properties.some((prop) => keyName(prop) === 'cache' ||
                                                                  keyName(prop) === 'next')) {
        options.properties.push(j.objectProperty(j.identifier('cache'), j.stringLiteral('no-store')));
      }
    });
  }
  if (!changed) return undefined;  // unchanged: jscodeshift counts it as skipped

  // The imports, after the last one.
  const imports = root.find(j.ImportDeclaration);
  const imported = (name) =>
    root.find(j.ImportSpecifier, { imported: { name } }).size() > 0;
  const added = [];
  if (!imported('getServerSession')) {
    added.push(j.importDeclaration([j.importSpecifier(j.identifier('getServerSession'))],
                                   j.stringLiteral('next-auth')));
  }
  if (!imported('authOptions')) {
    added.push(j.importDeclaration([j.importSpecifier(j.identifier('authOptions'))],
                                   j.stringLiteral(AUTH_OPTIONS_MODULE)));
  }
  if (added.length) {
    if (imports.size() > 0) {
      imports.at(imports.size() - 1).insertAfter(added);
    } else {
      root.get().node.program.body.unshift(...added);
    }
  }
  return root.toSource({ quote: 'single' });
};

module.exports.parser = 'ts';
