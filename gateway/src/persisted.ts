import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { RequestRefusedError, type RawGraphQLRequest } from '@huanjie/platform';

/** Registered operations: the sha256 (hex) of a document's exact text → that text. */
export type OperationManifest = ReadonlyMap<string, string>;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads an operations manifest (`npm run operations:manifest`): either a JSON object mapping each
 * document's sha256 to the document, or Apollo's persisted-query manifest
 * (`{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body" }] }`).
 * Every hash is checked against its document; a wrong one fails start-up.
 */
export function parseOperationManifest(json: unknown, source = 'the operations manifest'): OperationManifest {
  const fail = (problem: string): never => {
    throw new Error(`${source}: ${problem}`);
  };
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('not a JSON object');
  const object = json as Record<string, unknown>;
  const entries: [string, unknown][] =
    object.format === 'apollo-persisted-query-manifest'
      ? (Array.isArray(object.operations)
          ? (object.operations as { id?: unknown; body?: unknown }[])
          : fail('"operations" is not an array')
        ).map((o) => [String(o.id), o.body])
      : Object.entries(object);
  const manifest = new Map<string, string>();
  for (const [hash, document] of entries) {
    if (typeof document !== 'string' || document.trim() === '') fail(`the entry ${hash.slice(0, 80)} has no document`);
    if (sha256Hex(document as string) !== hash.toLowerCase()) fail(`the entry ${hash.slice(0, 80)} is not the sha256 of its document`);
    manifest.set(hash.toLowerCase(), document as string);
  }
  return manifest;
}

export function loadOperationManifest(path: string): OperationManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the operations manifest ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the operations manifest ${path} is not valid JSON`);
  }
  return parseOperationManifest(json, path);
}

/**
 * The manifest as Apollo's APQ store's first source: a client may send only the hash of a
 * registered operation (`extensions.persistedQuery.sha256Hash`) without the gateway having seen
 * its text. Apollo's automatic persisted queries (on by default, in its bounded in-memory cache)
 * keep working beside it for other documents unless registered-only mode refuses them.
 */
export function manifestLookupPlugin<T extends object>(manifest: OperationManifest): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ request }) {
      const hash: unknown = request.extensions?.persistedQuery?.sha256Hash;
      // The pipeline reads `query` after this hook; Apollo still checks that text and hash match.
      if (request.query === undefined && typeof hash === 'string') {
        const registered = manifest.get(hash.toLowerCase());
        if (registered !== undefined) request.query = registered;
      }
    },
  };
}

/**
 * Registered operations only (createHttpServer's `admit`): each request must carry a registered
 * document's exact text or its hash; anything else is refused with a 400
 * PERSISTED_QUERY_NOT_REGISTERED before Apollo parses it (and so it never enters the APQ cache).
 */
export function registeredOnlyAdmission(manifest: OperationManifest) {
  return (requests: readonly RawGraphQLRequest[]): void => {
    for (const { query, extensions } of requests) {
      const claimed = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      // The text decides when there is one: a registered hash beside other text is not registered.
      const hash = typeof query === 'string' ? sha256Hex(query) : typeof claimed === 'string' ? claimed.toLowerCase() : undefined;
      if (hash !== undefined && manifest.has(hash)) continue;
      throw new RequestRefusedError(
        400,
        'PERSISTED_QUERY_NOT_REGISTERED',
        'GATEWAY.REGISTERED_ONLY',
        `this gateway runs registered operations only, and this ${hash ? `document (sha256 ${hash.slice(0, 12)}…)` : 'request'} is not one of them: ` +
          'send the exact text of a registered operation or its sha256 (extensions.persistedQuery.sha256Hash); operations are registered with npm run operations:manifest',
      );
    }
  };
}
