import { badInput } from './errors';

/**
 * CSV as RFC 4180 writes it, read incrementally: fields separated by commas, records by CRLF (LF
 * or a lone CR are accepted too, since editors save all three), a field in double quotes may hold
 * commas, line breaks and doubled quotes (""). The text arrives in chunks split anywhere, even
 * inside a quoted field or between CR and LF, and no more than one record is held at a time.
 */
export interface CsvRecord {
  /** The line of the file the record starts on (1 = the first line). */
  line: number;
  fields: string[];
  /** Set when a closing quote is followed by something other than a comma or a line break. */
  malformed?: true;
}

// Parser states.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3; // a quote seen inside a quoted field: the end, or the first of ""

export class CsvParser {
  private state = FIELD_START;
  private field = '';
  private fields: string[] = [];
  private malformed = false;
  /** Physical line the parser is on, and the line the current record started on. */
  private line = 1;
  private recordLine = 1;
  /** A CR ended the last record; an LF right after it belongs to the same line break. */
  private afterCR = false;
  private quoteLine = 1;

  /** Feeds the next piece of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.afterCR) {
        this.afterCR = false;
        if (c === 10) continue; // the LF of a CRLF
      }
      switch (this.state) {
        case QUOTED:
          if (c === 34) this.state = QUOTE_IN_QUOTED;
          else {
            if (c === 10) this.line++;
            // Copy the run up to the next quote or LF at once: quoted fields are where long text is.
            let j = i + 1;
            while (j < text.length && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) j++;
            this.field += text.slice(i, j);
            i = j - 1;
          }
          break;
        case QUOTE_IN_QUOTED:
          if (c === 34) {
            this.field += '"';
            this.state = QUOTED;
            break;
          }
          this.state = UNQUOTED;
          if (c !== 44 && c !== 10 && c !== 13) this.malformed = true;
          i--; // read c again as if after an unquoted field
          break;
        case FIELD_START:
          if (c === 34) {
            this.state = QUOTED;
            this.quoteLine = this.line;
            break;
          }
          this.state = UNQUOTED;
          i--; // read c again as the start of an unquoted field
          break;
        case UNQUOTED:
          if (c === 44) {
            this.fields.push(this.field);
            this.field = '';
            this.state = FIELD_START;
          } else if (c === 10 || c === 13) {
            out.push(this.endRecord());
            this.line++;
            this.recordLine = this.line;
            this.afterCR = c === 13;
          } else {
            let j = i + 1;
            while (j < text.length) {
              const d = text.charCodeAt(j);
              if (d === 44 || d === 10 || d === 13) break;
              j++;
            }
            this.field += text.slice(i, j);
            i = j - 1;
          }
          break;
      }
    }
    return out;
  }

  /** The end of the input: returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === QUOTED) {
      throw badInput(
        'IMPORT.CSV_UNCLOSED_QUOTE',
        `the quoted field that starts on line ${this.quoteLine} is never closed, so the rest of the file would be one field`,
        { line: this.quoteLine },
      );
    }
    if (this.state === FIELD_START && this.fields.length === 0 && this.field === '') return [];
    return [this.endRecord()];
  }

  private endRecord(): CsvRecord {
    this.fields.push(this.field);
    const record: CsvRecord = { line: this.recordLine, fields: this.fields };
    if (this.malformed) record.malformed = true;
    this.fields = [];
    this.field = '';
    this.malformed = false;
    this.state = FIELD_START;
    return record;
  }
}

/**
 * Records from a byte stream in UTF-8, with or without a byte-order mark. Bytes that are not
 * UTF-8 refuse the file: Excel's "CSV (逗号分隔)" saves GBK on Chinese Windows, and guessing
 * would store garbled names.
 */
export async function* readCsv(body: AsyncIterable<Buffer>): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8', { fatal: true }); // fatal: refuse, never replace with U+FFFD
  const parser = new CsvParser();
  let lastLine = 1;
  const decode = (bytes?: Buffer) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw badInput(
        'IMPORT.ENCODING',
        `the file is not UTF-8 (from about line ${lastLine}); save it as "CSV UTF-8 (逗号分隔)", not as GBK "CSV (逗号分隔)"`,
        { line: lastLine },
      );
    }
  };
  for await (const chunk of body) {
    for (const record of parser.push(decode(chunk))) {
      lastLine = record.line;
      yield record;
    }
  }
  yield* parser.push(decode());
  yield* parser.end();
}
