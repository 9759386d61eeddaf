// A private npm registry on 127.0.0.1 that holds the given package tarballs and nothing else, so
// that a test installs `routeauth` the way a user does (`npm i -D routeauth`: a packument, the
// optional dependency chosen from it, the tarballs) without the network. It prints its address on
// standard output and writes one line per request to the log: `<status> <method> <path>`.
// Anything it does not hold is a 404, which fails the install loudly.
// usage: node npm_registry.mjs <request log> <package.tgz>...
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename } from 'node:path';

const tarballs = new Map();  // URL path -> bytes
const packuments = new Map(); // URL path (/name, /@scope%2fname) -> versions

const [log, ...files] = process.argv.slice(2);
for (const file of files) {
  const bytes = readFileSync(file);
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
  const tarballPath = `/${manifest.name}/-/${basename(file)}`;
  tarballs.set(tarballPath, bytes);
  const packumentPath = '/' + manifest.name.replace('/', '%2f');
  const versions = packuments.get(packumentPath) ?? new Map();
  versions.set(manifest.version, {
    ...manifest,
    dist: {
      tarballPath,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: 'sha512-' + createHash('sha512').update(bytes).digest('base64'),
    },
  });
  packuments.set(packumentPath, versions);
}

const server = createServer((request, response) => {
  const origin = `http://${request.headers.host}`;
  const path = request.url.split('?')[0].replace(/%2F/g, '%2f');
  const send = (status, type, body) => {
    appendFileSync(log, `${status} ${request.method} ${request.url}\n`);
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  };
  if (request.method === 'GET' && tarballs.has(path)) {
    send(200, 'application/octet-stream', tarballs.get(path));
  } else if (request.method === 'GET' && packuments.has(path)) {
    const versions = {};
    let latest;
    for (const [version, { dist: { tarballPath, ...dist }, ...manifest }] of packuments.get(path)) {
      versions[version] = { ...manifest, _id: `${manifest.name}@${version}`, dist: { ...dist, tarball: origin + tarballPath } };
      latest = version;
    }
    const name = versions[latest].name;
    send(200, 'application/json', JSON.stringify({ name, 'dist-tags': { latest }, versions }));
  } else {
    send(404, 'application/json', JSON.stringify({ error: 'not found in the test registry' }));
  }
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}/\n`);
});
