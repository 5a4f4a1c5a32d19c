import { checkCsvContentType, drained, readCsv, requireRole, type ExtraRoute } from '@huanjie/platform';
import { importRows, type ImportSummary } from '../commands/import.commands';
import type { PersonnelContext } from '../deps';
import type { RowOutcome } from '../domain/import.rules';
import { readImportFile } from './import-file.reader';

export interface ImportRouteOptions {
  /** Largest file accepted, in bytes. Default: 64 MiB. */
  maxBodyBytes?: number;
  /** Most data rows in one file. Default: 250,000 (a province's register; every row is held until its unit commits). */
  maxRows?: number;
  /** Rows per transaction. Default: 1000. */
  batchRows?: number;
}

/** What a failed or skipped row's line says. */
interface RowLineFields {
  line: number;
  rowType: RowOutcome['type'];
  code: string;
  rule: string;
  message: string;
}

/** The lines of the response body, one JSON object each (NDJSON); IMPORT.md describes them. */
export type ImportLine =
  | { type: 'progress'; done: number; total: number }
  | ({ type: 'error' } & RowLineFields)
  | ({ type: 'skipped' } & RowLineFields)
  | ({ type: 'summary'; requestId: string } & ImportSummary)
  | { type: 'fatal'; code: 'INTERNAL_SERVER_ERROR'; message: string };

/**
 * A national ID number (15 or 18 characters) or a mobile number (11 digits, with +86 and
 * separators as people write them) anywhere in a message. The rules never quote either, but a
 * message may quote a cell, and in a file with shifted columns any cell can hold one. 12-digit
 * 行政区划代码 are left alone: they are what the messages are about.
 */
const PERSONAL_NUMBER = /(?<![\dXx])(?:\d{6}(?:\d{9}|\d{11}[\dXx])|(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8})(?![\dXx])/g;
export const scrubPersonalNumbers = (message: string) => message.replace(PERSONAL_NUMBER, '[redacted]');

function toLine(outcome: RowOutcome): ImportLine {
  const issue = outcome.issue!;
  return {
    type: outcome.status === 'skipped' ? ('skipped' as const) : ('error' as const),
    line: outcome.line,
    rowType: outcome.type,
    code: issue.code,
    rule: issue.rule,
    message: scrubPersonalNumbers(issue.message),
  };
}

/**
 * POST /import: a CSV file of org units and people (IMPORT.md) in, NDJSON out while it runs. The
 * caller's token was verified by the HTTP front as for GraphQL; ORG_ADMIN only, and every row
 * within the token's region. A file that cannot be read at all is refused with 400 before any
 * row is imported; after that the answer is 200 and each row's fate is a line of the body.
 */
export function importRoute(options: ImportRouteOptions = {}): ExtraRoute<PersonnelContext> {
  const maxRows = options.maxRows ?? 250_000;
  return {
    method: 'POST',
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
    async handle({ req, body }, res, ctx) {
      requireRole(ctx.auth, ['ORG_ADMIN'], 'import');
      checkCsvContentType(req);
      const rows = await readImportFile(readCsv(body), maxRows);

      res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      const send = (line: ImportLine) => res.write(`${JSON.stringify(line)}\n`);
      // A client that hangs up stops the import between batches; what committed stays, whole units only.
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      try {
        const summary = await importRows(
          ctx,
          rows,
          {
            row: (outcome) => send(toLine(outcome)),
            progress: async (done, total) => {
              send({ type: 'progress', done, total });
              await drained(res);
            },
          },
          { signal: abort.signal, batchRows: options.batchRows },
        );
        send({ type: 'summary', requestId: ctx.requestId, ...summary });
      } catch (error) {
        // Name, message, SQLSTATE and stack only: a failed statement's parameters (TypeORM keeps
        // them on the error) hold whole batches of people, and rows never go to the log.
        const e: Error & { driverError?: { code?: string } } = error instanceof Error ? error : new Error(String(error));
        ctx.log.error({ err: { type: e.name, message: e.message, sqlState: e.driverError?.code, stack: e.stack } }, 'CSV import failed');
        send({
          type: 'fatal',
          code: 'INTERNAL_SERVER_ERROR',
          message: `Internal server error; units committed before it stay, whole (request id ${ctx.requestId})`,
        });
      }
      res.end();
    },
  };
}
