import type { IncomingMessage, ServerResponse } from 'node:http';
import { badInput } from './errors';

/** Refuses a body that is not CSV: RFC 4180 registers text/csv, and its only charset here is UTF-8. */
export function checkCsvContentType(req: IncomingMessage): void {
  const [type = '', ...params] = (req.headers['content-type'] ?? '').split(';').map((p) => p.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (type !== 'text/csv' || (charset !== undefined && charset !== 'utf-8')) {
    throw badInput('IMPORT.CONTENT_TYPE', 'send the file as Content-Type: text/csv (UTF-8)');
  }
}

/**
 * Resolves once a streamed response can take more, or is gone: a slow reader slows the producer
 * down instead of filling memory.
 */
export function drained(res: ServerResponse): Promise<void> {
  if (!res.writableNeedDrain || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
