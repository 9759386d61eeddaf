#!/usr/bin/env node
// The `routeauth` command of the npm package: finds the native routeauth that the platform
// package (an optional dependency, chosen by npm from its `os`/`cpu` fields) installed, and runs
// it with this process's arguments, standard streams and environment. It exits as the binary
// did: with its status, or killed by the same signal. Nothing is downloaded, at install or here.
'use strict';

const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const fromSource =
  'build it from source (README.md, Install): bash scripts/build.sh && ' +
  'cmake --install build --prefix ~/.local, then run ~/.local/bin/routeauth';

// One platform package per (os, cpu) for which a binary is published.
const platformPackages = { 'linux x64': '@routeauth/linux-x64' };

function fail(message) {
  process.stderr.write(`routeauth: error: ${message}\n`);
  process.exit(1);
}

function binaryPath() {
  const pkg = platformPackages[`${process.platform} ${process.arch}`];
  if (pkg === undefined) {
    fail(`no prebuilt routeauth for ${process.platform}-${process.arch} ` +
         `(the npm package has one for linux-x64 only); ${fromSource}`);
  }
  try {
    // Resolved from this file, as Node resolves a require() here: the package npm placed next to
    // this one or in a node_modules folder above it.
    return require.resolve(`${pkg}/bin/routeauth`, { paths: [path.join(__dirname, '..')] });
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    fail(`${pkg}, the optional dependency that holds the routeauth binary, is not installed ` +
         `(was it installed with --omit=optional or --no-optional?); reinstall routeauth ` +
         `with optional dependencies (npm install), or ${fromSource}`);
  }
}

const binary = binaryPath();
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });

// A signal sent to this launcher alone (a CI timeout, `kill <pid>`) goes on to the binary; a
// terminal's Ctrl-C reaches both, and the binary decides.
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
const forward = (signal) => { child.kill(signal); };
for (const signal of forwarded) process.on(signal, forward);

child.on('error', (error) => {
  fail(`cannot run ${binary}: ${error.message}; reinstall routeauth, or ${fromSource}`);
});

child.on('exit', (status, signal) => {
  for (const s of forwarded) process.removeListener(s, forward);
  if (signal !== null) {
    // Die of the same signal, so that the caller sees what the binary's caller would have; a
    // signal Node keeps for itself leaves the shell's convention, 128 + its number.
    process.exitCode = 128 + os.constants.signals[signal];
    process.kill(process.pid, signal);
    return;
  }
  process.exit(status);
});
