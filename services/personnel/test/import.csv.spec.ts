import { DomainError } from '@huanjie/platform';
import { CsvParser, readCsv, type CsvRecord } from '@huanjie/platform';
import { readImportFile } from '../src/import/import-file.reader';
import { scrubPersonalNumbers } from '../src/import/import.route';

/** Parses text fed in the given pieces, as chunks from a socket would arrive. */
function parse(...pieces: string[]): CsvRecord[] {
  const parser = new CsvParser();
  return [...pieces.flatMap((p) => parser.push(p)), ...parser.end()];
}

/** Every way of cutting the text in two: a record must not depend on where a chunk ends. */
function everySplit(text: string): CsvRecord[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => parse(text.slice(0, i), text.slice(i)));
}

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8');
}

async function records(...parts: (string | Buffer)[]): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const r of readCsv(chunks(...parts))) out.push(r);
  return out;
}

const ruleOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.rule;
    throw error;
  }
  return 'no error';
};

describe('CSV parsing (RFC 4180)', () => {
  it('splits fields on commas and records on CRLF, LF or a lone CR', () => {
    expect(parse('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
      { line: 3, fields: ['e', 'f'] },
      { line: 4, fields: ['g', 'h'] },
    ]);
  });

  it('keeps commas, line breaks and doubled quotes inside quoted fields, and numbers lines as the file has them', () => {
    const text = 'name,note\r\n"王,秀英","第一行\r\n第二行 ""引号"""\r\n李四,x\r\n';
    const expected = [
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['王,秀英', '第一行\r\n第二行 "引号"'] },
      { line: 4, fields: ['李四', 'x'] },
    ];
    for (const result of everySplit(text)) expect(result).toEqual(expected);
  });

  it('reads empty fields, a trailing empty field and a last line without a line break', () => {
    expect(parse('a,,c,\n,"",x')).toEqual([
      { line: 1, fields: ['a', '', 'c', ''] },
      { line: 2, fields: ['', '', 'x'] },
    ]);
  });

  it('flags text after a closing quote instead of guessing', () => {
    expect(parse('"ab"c,d\n')).toEqual([{ line: 1, fields: ['abc', 'd'], malformed: true }]);
  });

  it('refuses a quote that is never closed, naming the line it opens on', () => {
    expect(() => parse('a,b\n"open,\nstill open')).toThrow(expect.objectContaining({ rule: 'IMPORT.CSV_UNCLOSED_QUOTE', details: { line: 2 } }));
  });

  it('drops a UTF-8 byte-order mark, even when it arrives split across chunks', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(await records(bom.subarray(0, 1), Buffer.concat([bom.subarray(1), Buffer.from('code,name\n')]))).toEqual([
      { line: 1, fields: ['code', 'name'] },
    ]);
  });

  it('decodes a character whose bytes are split between chunks', async () => {
    const text = Buffer.from('name\n七里社区\n', 'utf8');
    expect((await records(text.subarray(0, 7), text.subarray(7)))[1]!.fields).toEqual(['七里社区']);
  });

  it('refuses GBK (Excel\'s "CSV" on Chinese Windows) rather than storing garbled names', async () => {
    const gbk = Buffer.from([0xc6, 0xdf, 0xc0, 0xef]); // 七里 in GBK
    expect(await ruleOf(records('name\n', gbk, '\n'))).toBe('IMPORT.ENCODING');
  });
});

describe('reading an import file', () => {
  const read = (text: string, maxRows = 100) => readImportFile(readCsv(chunks(text)), maxRows);

  it('takes English or Chinese headings in any order and case, and skips blank lines and 序号', async () => {
    const rows = await read('序号,层级,行政区划代码,NAME\n1,社区,510107018003,七里社区\n\n2,VILLAGE,510107018201,金星村\n');
    expect(rows).toEqual([
      { line: 2, type: 'ORG_UNIT', cells: { kind: '社区', code: '510107018003', name: '七里社区' } },
      { line: 4, type: 'ORG_UNIT', cells: { kind: 'VILLAGE', code: '510107018201', name: '金星村' } },
    ]);
  });

  it('tells a people file by its idNumber column, and needs no type column then', async () => {
    const rows = await read('org_unit_code,姓名,身份证号,民族,学历,政治面貌\n510107018003,王秀英,x,汉族,大专,群众\n');
    expect(rows[0]!.type).toBe('PERSON');
  });

  it('refuses an unknown heading, without quoting one that holds digits (a file without a header row)', async () => {
    const error = await read('510107018003,七里社区,COMMUNITY,phnoe\n').catch((e: DomainError) => e);
    expect(error).toMatchObject({ rule: 'IMPORT.HEADER_UNKNOWN' });
    expect((error as DomainError).message).toContain('column 1');
    expect((error as DomainError).message).toContain('"phnoe"');
    expect((error as DomainError).message).not.toContain('510107018003');
  });

  it('refuses a file of people without the columns registration needs', async () => {
    expect(await ruleOf(read('type,code,name,kind,orgUnitCode,idNumber\nPERSON,,王秀英,,510107018003,x\n'))).toBe('IMPORT.HEADER_MISSING');
  });

  it('marks a row with the wrong number of fields or an unknown type, and tolerates empty padding cells', async () => {
    const rows = await read(
      'type,code,name,kind\nORG_UNIT,510107018003,七里社区\nUNIT?,510107018005,锦城社区,COMMUNITY\n单位,510107018006,新社区,社区,,\nunit,510107018007,又一社区,社区\n',
    );
    expect(rows.map((r) => r.issue?.rule ?? r.type)).toEqual(['IMPORT.FIELD_COUNT', 'IMPORT.TYPE', 'ORG_UNIT', 'ORG_UNIT']);
  });

  it('refuses an empty file and one with more rows than allowed', async () => {
    expect(await ruleOf(read(''))).toBe('IMPORT.EMPTY');
    expect(await ruleOf(read('code,name,kind\n1,a,VILLAGE\n2,b,VILLAGE\n', 1))).toBe('IMPORT.TOO_MANY_ROWS');
  });
});

describe('scrubbing personal numbers from messages', () => {
  it('masks ID numbers and mobile numbers in the shapes people write them, and leaves division codes and dates', () => {
    const text = 'got "11010519491231002X", "110105491231002", "138 1234 5678", "+86-13812345678" for 510107018003 on 2010-07-01';
    expect(scrubPersonalNumbers(text)).toBe('got "[redacted]", "[redacted]", "[redacted]", "[redacted]" for 510107018003 on 2010-07-01');
  });
});
