import { parse, valueFromASTUntyped, visit } from 'graphql';
import { captureDir, captureRecord, captureRecords } from '@huanjie/platform/src/capture';
import { numbersInText, sensitiveValuesOf, type SensitiveKind, type SensitiveValue } from './leak-scan';

/**
 * The test side of the leak scan's capture (README "Security"; the services' side is
 * packages/platform/src/capture.ts). While HUANJIE_CAPTURE_DIR is set, every request a test sends
 * with `fetch` (graphqlPost and raw fetches alike: jest.config.js installs the wrapper in every
 * test file) has its personal values recorded — what the scan then searches for — and every error
 * it is answered (GraphQL `errors`, an import's error lines, any error status) is recorded too.
 */

const recorded = new Set<string>();

/**
 * Records values the scan must never find in a log line, an error or an event: for a test that
 * sends personal data some other way than `fetch` (a plain string is taken for an ID number, a
 * phone or a name by its shape).
 */
export function registerSensitive(...values: (SensitiveValue | string)[]): void {
  record(values);
}

function record(values: Iterable<SensitiveValue | string>): void {
  if (!captureDir()) return;
  const fresh: SensitiveValue[] = [];
  for (const entry of values) {
    const value: SensitiveValue = typeof entry === 'string' ? { kind: kindOf(entry), value: entry } : entry;
    const key = `${value.kind}\u0000${value.value}`;
    if (recorded.has(key)) continue;
    recorded.add(key);
    fresh.push(value);
  }
  captureRecords('sensitive', fresh);
}

function kindOf(value: string): SensitiveKind {
  if (/^\s*\d{14,19}[\dXx]\s*$/.test(value)) return 'id-number';
  if (/^[\s\d+()-]{7,}$/.test(value)) return 'phone';
  return 'name';
}

/** The personal values of a request body: JSON (a GraphQL request, its variables and inline arguments) or text (a CSV). */
export function recordRequestBody(body: unknown): void {
  const text = typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : undefined;
  if (text === undefined) return; // a stream or form: nothing the tests send that way today
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    record(numbersInText(text));
    return;
  }
  record(sensitiveValuesOf(json));
  for (const request of Array.isArray(json) ? json : [json]) {
    const query = (request as { query?: unknown } | null)?.query;
    if (typeof query === 'string') record(inlineValues(query));
  }
}

/** Values written into the query text itself (`registerPerson(input: { idNumber: "…" })`). */
function inlineValues(query: string): SensitiveValue[] {
  if (!/idNumber|phone|mobile|complainant|contact/i.test(query)) return [];
  try {
    const out: SensitiveValue[] = [];
    visit(parse(query), {
      Argument(node) {
        out.push(...sensitiveValuesOf({ [node.name.value]: valueFromASTUntyped(node.value) }));
      },
    });
    return out;
  } catch {
    return []; // not a valid document: the bad-input corpus sends those on purpose
  }
}

const ERROR_LINE_TYPES = new Set(['error', 'skipped', 'rejected', 'fatal']);

/** Records the errors of a response body: `errors` of a JSON body, error lines of NDJSON, the text of any other error status. */
export function recordResponseText(status: number, contentType: string, text: string, url: string): void {
  if (!captureDir()) return;
  if (/ndjson/i.test(contentType)) {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as { type?: unknown };
        if (typeof parsed.type === 'string' && ERROR_LINE_TYPES.has(parsed.type)) captureRecord('errors', { via: 'client', url, line: parsed });
      } catch {
        captureRecord('errors', { via: 'client', url, text: line });
      }
    }
    return;
  }
  if (/json/i.test(contentType)) {
    try {
      const parsed = JSON.parse(text) as unknown;
      for (const body of Array.isArray(parsed) ? parsed : [parsed]) {
        const errors = (body as { errors?: unknown } | null)?.errors;
        if (Array.isArray(errors)) for (const error of errors) captureRecord('errors', { via: 'client', url, status, error });
      }
      return;
    } catch {
      // not JSON after all: treated as text below
    }
  }
  if (status >= 400 && text) captureRecord('errors', { via: 'client', url, status, text: text.slice(0, 100_000) });
}

const INSTALLED = Symbol.for('huanjie.testkit.fetchCapture');

/**
 * Wraps the global `fetch` of this test file (jest.config.js `setupFiles`). The wrapper hands
 * the response back unchanged; what it records it reads from a clone.
 */
export function installFetchCapture(): void {
  if (!captureDir()) return;
  const global = globalThis as typeof globalThis & { [INSTALLED]?: true };
  if (global[INSTALLED] || typeof global.fetch !== 'function') return;
  global[INSTALLED] = true;
  const original = global.fetch.bind(global);
  global.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    try {
      if (init?.body !== undefined && init.body !== null) recordRequestBody(init.body);
    } catch {
      // Recording must never change what the test sees.
    }
    const response = await original(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const wanted = /json/i.test(contentType) || response.status >= 400;
    if (wanted && response.body) {
      const reading = response
        .clone()
        .text()
        .then((text) => recordResponseText(response.status, contentType, text, url))
        .catch(() => {});
      // A JSON answer is read whole before the test sees it (it would read it whole anyway); a
      // streamed one (an import's NDJSON) is read alongside, so the stream keeps its pace.
      if (!/ndjson/i.test(contentType)) await reading;
    }
    return response;
  };
}
