import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * POSTs a CSV file to one of the services' bulk routes (personnel's /import, elections'
 * /voters/import) as `npm run import` and `npm run import:voters` send it, and reads the NDJSON the
 * route streams back line by line. Resolves with every line once the answer ends; a refusal of the
 * whole file (any status but 200) rejects with the service's message.
 */
export function uploadCsv<Line extends { type: string }>(
  url: string,
  token: string,
  csv: Buffer,
  onLine: (line: Line) => void = () => {},
): Promise<Line[]> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-length': csv.length, authorization: `Bearer ${token}` },
    });
    req.setTimeout(900_000, () => req.destroy(new Error(`no answer from ${target.pathname} within 900 s`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const lines: Line[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (res.statusCode !== 200) return;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          const text = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (!text) continue;
          const line = JSON.parse(text) as Line;
          lines.push(line);
          onLine(line);
        }
      });
      res.on('error', reject);
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(lines)
          : reject(new Error(`${target.pathname} refused the file: HTTP ${res.statusCode} ${buffer.slice(0, 500)}`)),
      );
    });
    req.end(csv);
  });
}

/** A CSV field as RFC 4180 writes it: quoted only when it must be. */
export const csvField = (value: string | number | null | undefined) => {
  const text = value == null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const csvFile = (rows: readonly (readonly (string | number | null | undefined)[])[]) =>
  Buffer.from(`${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`, 'utf8');
