/**
 * A strict reader for numeric CSV data: comma-separated, a header row naming the columns,
 * optional double quotes ("" inside quotes is a quote), blank lines ignored, a UTF-8 BOM
 * ignored. Every problem is reported with the file name, 1-based line and column (the column
 * is the character position in the line, where the offending field starts), so an editor or a
 * terminal can jump to it. Pure: it takes the text, never a path.
 *
 * Hand-written rather than a CSV library: the value here is the exact field position of every
 * error (csv-parse and papaparse report records, not field columns).
 */

export interface CsvError {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** How a wanted column's values are checked. */
export type CsvColumnKind = 'real' | 'binary' | 'label';

export interface CsvColumnRequest {
  name: string;
  kind: CsvColumnKind;
}

export interface CsvTable {
  file: string;
  header: string[];
  /** rows read (data lines) */
  rows: number;
  /** values of the requested columns, in request order */
  columns: Float64Array[];
}

export const CSV_LIMITS = {
  /** characters of text (≈ bytes for numeric files) */
  maxChars: 32 * 1024 * 1024,
  maxRows: 200_000,
  /** errors reported before giving up */
  maxErrors: 20,
} as const;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Field {
  text: string;
  column: number;
}

/** Splits one line into fields with their 1-based start columns; an unterminated quote → error text. */
function splitLine(line: string): Field[] | string {
  const fields: Field[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    // leading spaces before a quote are allowed
    let j = i;
    while (j < line.length && line[j] === ' ') j++;
    if (line[j] === '"') {
      let text = '';
      let k = j + 1;
      for (;;) {
        if (k >= line.length) return `unterminated quote starting at column ${j + 1}`;
        if (line[k] === '"') {
          if (line[k + 1] === '"') {
            text += '"';
            k += 2;
            continue;
          }
          k++;
          break;
        }
        text += line[k++];
      }
      while (k < line.length && line[k] === ' ') k++;
      if (k < line.length && line[k] !== ',') return `unexpected text after the closing quote at column ${k + 1}`;
      fields.push({ text, column: start + 1 });
      if (k >= line.length) return fields;
      i = k + 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      fields.push({ text: line.slice(i, end).trim(), column: start + 1 });
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/**
 * Reads the requested columns of a CSV text. `binary` columns must hold 0 or 1, `label` columns
 * whole numbers ≥ 0 (class indices); `real` any finite number. Columns not requested are not
 * checked (they may hold text).
 */
export function parseCsv(file: string, text: string, wanted: readonly CsvColumnRequest[]): { table: CsvTable; errors?: undefined } | { table?: undefined; errors: CsvError[] } {
  const errors: CsvError[] = [];
  const fail = (line: number, column: number, message: string): void => {
    if (errors.length < CSV_LIMITS.maxErrors) errors.push({ file, line, column, message });
  };
  if (text.length > CSV_LIMITS.maxChars) {
    fail(1, 1, `the file is too large: ${(text.length / 2 ** 20).toFixed(1)} MB; the limit is ${CSV_LIMITS.maxChars / 2 ** 20} MB`);
    return { errors };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\n|\r/);
  let headerLine = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '') {
      headerLine = i;
      break;
    }
  }
  if (headerLine < 0) {
    fail(1, 1, 'the file is empty: expected a header row naming the columns, then one row per data point');
    return { errors };
  }
  const headerFields = splitLine(lines[headerLine]);
  if (typeof headerFields === 'string') {
    fail(headerLine + 1, 1, `header row: ${headerFields}`);
    return { errors };
  }
  const header = headerFields.map((f) => f.text);
  const indices: number[] = [];
  for (const w of wanted) {
    const at = header.indexOf(w.name);
    if (at < 0) {
      const sep = header.length === 1 && /[;\t]/.test(header[0]) ? ` — the header looks ${header[0].includes(';') ? 'semicolon' : 'tab'}-separated; use commas` : '';
      fail(headerLine + 1, 1, `column "${w.name}" not found in the header (columns: ${header.join(', ')})${sep}`);
    } else if (header.indexOf(w.name, at + 1) >= 0) {
      fail(headerLine + 1, headerFields[header.indexOf(w.name, at + 1)].column, `column "${w.name}" appears more than once in the header`);
    }
    indices.push(at);
  }
  if (errors.length > 0) return { errors };

  let capacity = Math.min(1024, lines.length);
  let columns = wanted.map(() => new Float64Array(capacity));
  let rows = 0;
  for (let i = headerLine + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    if (rows >= CSV_LIMITS.maxRows) {
      fail(lineNo, 1, `too many rows: the limit is ${CSV_LIMITS.maxRows} data rows`);
      break;
    }
    const fields = splitLine(line);
    if (typeof fields === 'string') {
      fail(lineNo, 1, fields);
      continue;
    }
    if (fields.length !== header.length) {
      const column = fields.length > header.length ? fields[header.length].column : line.length + 1;
      fail(lineNo, column, `this row has ${fields.length} field${fields.length === 1 ? '' : 's'} but the header has ${header.length}`);
      continue;
    }
    if (rows === capacity) {
      capacity *= 2;
      columns = columns.map((c) => {
        const grown = new Float64Array(capacity);
        grown.set(c);
        return grown;
      });
    }
    for (let c = 0; c < wanted.length; c++) {
      const field = fields[indices[c]];
      const v = NUMBER.test(field.text) ? Number(field.text) : NaN;
      const where = `column "${wanted[c].name}"`;
      if (field.text === '') fail(lineNo, field.column, `${where}: empty field, expected a number`);
      else if (!Number.isFinite(v)) fail(lineNo, field.column, `${where}: "${field.text}" is not a number`);
      else if (wanted[c].kind === 'binary' && v !== 0 && v !== 1) fail(lineNo, field.column, `${where}: ${field.text} is not a 0/1 label (the logistic loss needs 0 or 1)`);
      else if (wanted[c].kind === 'label' && !(Number.isInteger(v) && v >= 0)) fail(lineNo, field.column, `${where}: ${field.text} is not a class index (the cross-entropy loss needs whole numbers 0, 1, 2, …)`);
      columns[c][rows] = v;
    }
    rows++;
  }
  if (errors.length > 0) return { errors };
  if (rows === 0) {
    fail(headerLine + 2, 1, 'no data rows after the header');
    return { errors };
  }
  return { table: { file, header, rows, columns: columns.map((c) => c.slice(0, rows)) } };
}

/** 'file:line:col: message' — the form terminals and editors link. */
export function formatCsvError(e: CsvError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}
