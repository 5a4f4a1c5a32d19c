// Bundles one entry point (a service's or the gateway's src/main.ts) into dist/main.js for the
// container images. Workspace packages (@huanjie/*) and ES-module-only jose go into the bundle;
// every other package stays external and is installed with `npm ci --omit=dev` in the image.
// Usage (from a workspace folder): node ../../infra/scripts/bundle.mjs src/main.ts [extra files or folders to copy]
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const [entry = 'src/main.ts', ...copies] = process.argv.slice(2);
// OpenTelemetry goes in too, resolved from the importing file: the platform's SDK (2.x, nested in
// packages/platform/node_modules) differs from the one @apollo/gateway brings to the root (1.x), and
// at run time a bundle in dist/ would find only the root's. So does anything the nested copies import.
const inline = (path, importer) =>
  path.startsWith('@huanjie/') ||
  path === 'jose' ||
  path.startsWith('jose/') ||
  path.startsWith('@opentelemetry/') ||
  importer.includes('/packages/platform/node_modules/');

await build({
  entryPoints: [entry],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'externalise-dependencies',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (inline(args.path, args.importer) ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
mkdirSync('dist', { recursive: true });
// Files and folders (a split schema: src/schema/) are copied beside the bundle; a missing optional one is skipped.
for (const file of copies) if (existsSync(file)) cpSync(file, join('dist', basename(file)), { recursive: true });
process.stdout.write(`bundled ${entry} -> dist/main.js\n`);
