// npm run operations:manifest -- <dir or .graphql file>… [--schema proto-docs/schema.graphql] > operations.json
// The registered-operations manifest for the gateway (GATEWAY_OPERATIONS_MANIFEST, and
// GATEWAY_REGISTERED_ONLY=true for production clients): every named operation in the .graphql
// files (folders searched recursively) with the fragments it uses, validated against the graph's
// API schema, as JSON { "<sha256>": "<document>" } on stdout.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import { buildOperationManifest, type OperationSource } from './operation-documents';

const root = join(__dirname, '..', '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { schema: { type: 'string', default: join(root, 'proto-docs', 'schema.graphql') }, help: { type: 'boolean', short: 'h' } },
});
if (values.help || positionals.length === 0) {
  process.stderr.write('usage: npm run -s operations:manifest -- <dir or .graphql file>… [--schema <API schema>] > operations.json\n');
  process.exit(values.help ? 0 : 2);
}

const files = (path: string): string[] =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .sort()
        .flatMap((name) => files(join(path, name)))
    : path.endsWith('.graphql') || path.endsWith('.gql')
      ? [path]
      : [];

try {
  const sources: OperationSource[] = positionals
    .flatMap((p) => files(resolve(p)))
    .map((file) => ({ name: file, text: readFileSync(file, 'utf8') }));
  if (sources.length === 0) throw new Error(`no .graphql files in ${positionals.join(', ')}`);
  const manifest = buildOperationManifest(sources, buildSchema(readFileSync(values.schema!, 'utf8')));
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  process.stderr.write(`${Object.keys(manifest).length} operations from ${sources.length} files\n`);
} catch (error) {
  process.stderr.write(`operations:manifest: ${(error as Error).message}\n`);
  process.exit(1);
}
