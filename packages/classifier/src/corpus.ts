/**
 * Parsers for the development corpora (see shared/data/DATA.md) and their mapping to
 * training examples. Pure: they take the file's text; the scripts read the files.
 */
import { cleanText } from '@srs/core';
import { extractSignals } from './signals';
import { weakSpamCategory, type TrainingExample } from './train';

export interface UciRow {
  label: 'ham' | 'spam';
  text: string;
}

/** SMS Spam Collection: `label<TAB>text` per line, split on the first tab, no quoting. */
export function parseUciTsv(content: string): UciRow[] {
  const rows: UciRow[] = [];
  for (const line of content.split('\n')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`UCI line without a tab: ${line.slice(0, 40)}`);
    const label = line.slice(0, tab);
    if (label !== 'ham' && label !== 'spam') throw new Error(`UCI label ${label}`);
    rows.push({ label, text: line.slice(tab + 1) });
  }
  return rows;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, newlines inside quotes. */
export function parseCsv(content: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let i = 0;
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export interface IndonesianRow {
  /** 0 normal, 1 fraud (penipuan), 2 promo. */
  label: 0 | 1 | 2;
  text: string;
}

/** Indonesian SMS spam v1: CSV with header `Teks,label`. */
export function parseIndonesianCsv(content: string): IndonesianRow[] {
  const [header, ...records] = parseCsv(content);
  if (!header || header[0] !== 'Teks' || header[1] !== 'label') throw new Error(`unexpected Indonesian header ${JSON.stringify(header)}`);
  return records
    .filter((r) => r.length >= 2)
    .map((r) => {
      const label = Number(r[1]);
      if (label !== 0 && label !== 1 && label !== 2) throw new Error(`Indonesian label ${r[1]}`);
      return { label, text: r[0] as string };
    });
}

export function uciExampleFromRow(row: UciRow): TrainingExample {
  if (row.label === 'ham') return { text: row.text, spam: false };
  const category = weakSpamCategory(extractSignals(cleanText(row.text)));
  return category ? { text: row.text, spam: true, category } : { text: row.text, spam: true };
}

/** Indonesian labels: 0 → not spam, 1 → fraud, 2 → marketing. */
export function indonesianExampleFromRow(row: IndonesianRow): TrainingExample {
  if (row.label === 0) return { text: row.text, spam: false };
  return { text: row.text, spam: true, category: row.label === 1 ? 'fraud' : 'marketing' };
}

export const INDONESIAN_CATEGORY = { 0: 'not_spam', 1: 'fraud', 2: 'marketing' } as const;
