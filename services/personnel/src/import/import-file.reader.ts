import { badInput } from '@huanjie/platform';
import { readHeader, readRow, requireColumns, type ImportHeader, type ImportRow, type RowType } from '../domain/import.columns';
import type { CsvRecord } from '@huanjie/platform';

/**
 * The rows of an import file: line 1 is the header, blank lines are skipped, and a file that
 * cannot be read as a whole (no header, unknown columns, too many rows) is refused before any
 * row is looked at. All rows are kept: a unit's people may be anywhere in the file, and a unit
 * commits only with all of them.
 */
export async function readImportFile(records: AsyncIterable<CsvRecord>, maxRows: number): Promise<ImportRow[]> {
  let header: ImportHeader | null = null;
  const rows: ImportRow[] = [];
  const types = new Set<RowType>();
  for await (const record of records) {
    if (header === null) {
      if (record.fields.every((f) => f.trim() === '')) {
        throw badInput('IMPORT.HEADER_MISSING', 'line 1 must be the header row naming the columns', { line: record.line });
      }
      header = readHeader(record.fields);
      continue;
    }
    const row = readRow(header, record);
    if (row === null) continue;
    if (rows.length >= maxRows) {
      throw badInput('IMPORT.TOO_MANY_ROWS', `the file has more than ${maxRows} rows; split it (by district, say) and import the parts in turn`, {
        line: record.line,
      });
    }
    rows.push(row);
    if (row.type) types.add(row.type);
  }
  if (header === null) throw badInput('IMPORT.EMPTY', 'the file is empty: line 1 must be the header row naming the columns');
  // With a type column, the columns needed are those of the kinds of row the file holds.
  for (const type of types) requireColumns(header, type);
  return rows;
}
