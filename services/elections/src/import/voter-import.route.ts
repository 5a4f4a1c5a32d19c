import { badInput, checkCsvContentType, DomainError, drained, isUuid, type ExtraRoute } from '@huanjie/platform';
import type { ElectionsContext } from '../deps';
import { importVoters, openVoterImport, type ImportProgress, type RejectedLine, type VoterImportSummary } from './voter-import';

export interface VoterImportRouteOptions {
  /** Largest file accepted, in bytes. Default 512 MiB (Baoshan's 1,000,746 voters are about 70 MiB). */
  maxBodyBytes?: number;
  /** A progress line every this many data lines. Default 50,000. */
  progressEvery?: number;
}

/** The path of the route; the election is the `election` query parameter. */
export const VOTER_IMPORT_PATH = '/voters/import';

/** The lines of the response body, one JSON object each (NDJSON); VOTER-IMPORT.md describes them. */
export type VoterImportLine =
  | ({ type: 'progress' } & ImportProgress)
  | { type: 'phase'; phase: 'checking' | 'committed' }
  | RejectedLine
  | ({ type: 'summary'; requestId: string } & VoterImportSummary)
  | { type: 'fatal'; code: string; rule?: string; message: string; line?: number };

/**
 * POST /voters/import?election=<id>: a CSV voter file in, NDJSON out while it runs. The caller's
 * token was verified by the HTTP front as for GraphQL. The caller, the election (in scope, not a
 * Party election, registration open), the content type and line 1 are checked first and refused
 * with an HTTP status; after that the answer is 200 and every line's fate is a line of the body.
 */
export function voterImportRoute(options: VoterImportRouteOptions = {}): ExtraRoute<ElectionsContext> {
  return {
    method: 'POST',
    maxBodyBytes: options.maxBodyBytes ?? 512 * 1024 * 1024,
    async handle({ req, url, body }, res, ctx) {
      const electionId = url.searchParams.get('election') ?? '';
      if (!isUuid(electionId)) throw badInput('IMPORT.ELECTION', 'name the election: POST /voters/import?election=<election id>');
      checkCsvContentType(req);
      const opened = await openVoterImport(ctx, electionId);

      const send = (line: VoterImportLine) => {
        if (!res.destroyed) res.write(`${JSON.stringify(line)}\n`);
      };
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      let summary: VoterImportSummary;
      try {
        summary = await importVoters(
          ctx,
          opened,
          body,
          {
            started: () =>
              res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }),
            // While the file uploads, the client may not read the answer yet: progress lines are few
            // (one per 50,000 lines) and not waited on, so the upload can never stall on them.
            progress: (p) => send({ type: 'progress', ...p }),
            phase: (phase) => send({ type: 'phase', phase }),
            line: async (line) => {
              send(line);
              await drained(res);
            },
          },
          { signal: abort.signal, progressEvery: options.progressEvery },
        );
      } catch (error) {
        // Before line 1 was accepted, the HTTP front answers with the status of the DomainError.
        if (!res.headersSent) throw error;
        if (error instanceof DomainError) {
          const line = typeof error.details?.line === 'number' ? error.details.line : undefined;
          send({ type: 'fatal', code: error.code, rule: error.rule, message: `${error.message}; nothing was imported`, ...(line ? { line } : {}) });
        } else {
          // Name, message, SQLSTATE and stack only: rows never go to the log.
          const e: Error & { code?: string } = error instanceof Error ? error : new Error(String(error));
          ctx.log.error({ err: { type: e.name, message: e.message, sqlState: e.code, stack: e.stack } }, 'voter import failed');
          send({ type: 'fatal', code: 'INTERNAL_SERVER_ERROR', message: `Internal server error; nothing was imported (request id ${ctx.requestId})` });
        }
        res.end();
        return;
      }
      send({ type: 'summary', requestId: ctx.requestId, ...summary });
      ctx.log.info({ importId: summary.importId, electionId, lines: summary.lines, registered: summary.registered, rejected: summary.rejected, ms: summary.durationMs }, 'voter import');
      res.end();
    },
  };
}
