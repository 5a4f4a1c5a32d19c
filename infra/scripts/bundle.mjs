// Bundles one entry point (a service's or the gateway's src/main.ts) into dist/main.js for the
// container images. Workspace packages (@huanjie/*) and ES-module-only jose go into the bundle;
// every other package stays external and is installed with `npm ci --omit=dev` in the image.
// Usage (from a workspace folder): node ../../infra/scripts/bundle.mjs src/main.ts [extra files or folders to copy]
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const [entry = 'src/main.ts', ...copies] = process.argv.slice(2);
const inline = (path) => path.startsWith('@huanjie/') || path === 'jose' || path.startsWith('jose/');

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
        b.onResolve({ filter: /^[^./]/ }, (args) => (inline(args.path) ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
mkdirSync('dist', { recursive: true });
// Files and folders (a split schema: src/schema/) are copied beside the bundle; a missing optional one is skipped.
for (const file of copies) if (existsSync(file)) cpSync(file, join('dist', basename(file)), { recursive: true });
process.stdout.write(`bundled ${entry} -> dist/main.js\n`);
