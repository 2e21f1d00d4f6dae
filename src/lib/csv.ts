/**
 * CSV files for spreadsheet programs (docs/deadlines.md, CSV): UTF-8 with a byte order mark, CRLF line
 * ends, written by csv-stringify; a text cell a spreadsheet would run as a formula (leading `=`, `+`,
 * `-`, `@`, tab or carriage return) gets a leading single quote, so it is shown, never run.
 */
import { stringify } from 'csv-stringify/sync';

export const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as written: numbers as they are, text neutralised, absent values empty. */
export function csvCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** CSV lines (each ending CRLF) of the given records, every cell through `csvCell`. */
export function csvLines(records: (string | number | null | undefined)[][]): string {
  if (records.length === 0) return '';
  return stringify(
    records.map((r) => r.map(csvCell)),
    { record_delimiter: 'windows' },
  );
}

/** `yyyy-MM-dd HH:mm` in Vietnam time, the form spreadsheets read as a date and time. */
export function csvTime(vnIso: string): string {
  return `${vnIso.slice(0, 10)} ${vnIso.slice(11, 16)}`;
}

/**
 * A stream of a CSV file: the BOM and header, then each chunk `next` gives until it gives null. The
 * file is produced page by page, so a large list never sits in memory at once.
 */
export function csvStream(
  header: string[],
  next: () => Promise<(string | number | null | undefined)[][] | null>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(BOM + csvLines([header])));
        return;
      }
      const records = await next();
      if (records === null) controller.close();
      else controller.enqueue(encoder.encode(csvLines(records)));
    },
  });
}
