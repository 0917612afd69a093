import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { presentFiche } from '../actions/actions.presenter.js';
import { loadFiches } from '../actions/actions.repository.js';
import type { StoredFiche } from '../actions/fiche.js';
import type { Db } from '../db/database.js';
import { HEADER } from '../legacy-dump/format.js';
import { toDumpFiche } from '../legacy-dump/to-dump.js';
import { ficheLines } from '../legacy-dump/writer.js';
import type { SearchRequest } from '../search/search.model.js';
import { matchingActionIds } from '../search/search.service.js';
import { loadReferenceIndex, type ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { csvRow, SHEET_COLUMNS, sheetRow } from './exports.presenter.js';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'ndjson', 'dump'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How each format is served and named. */
export const EXPORT_TYPES: Record<ExportFormat, { mediaType: string; extension: string; label: string }> = {
  csv: { mediaType: 'text/csv; charset=utf-8', extension: 'csv', label: 'CSV (Excel)' },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extension: 'xlsx',
    label: 'Classeur XLSX',
  },
  json: { mediaType: 'application/json; charset=utf-8', extension: 'json', label: 'JSON' },
  ndjson: { mediaType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson', label: 'NDJSON' },
  dump: { mediaType: 'text/plain; charset=utf-8', extension: 'txt', label: 'Texte (format de l’observatoire)' },
};

/** What to export: a search (every fiche by default) and the site's address for links. */
export interface ExportRequest {
  search?: SearchRequest;
  /** Prefixed to the fiches' paths in spreadsheets, so that links work once downloaded. */
  publicUrl?: string;
  /** Called once per fiche written. */
  onFiche?: () => void;
}

async function* fiches(db: Db, batches: AsyncIterable<number[]>, request: ExportRequest): AsyncGenerator<StoredFiche> {
  for await (const ids of batches) {
    for (const fiche of await loadFiches(db, ids)) {
      request.onFiche?.();
      yield fiche;
    }
  }
}

// Rows end with CRLF, as Excel writes them; csv-stringify then quotes only cells holding CRLF,
// so a cell with a bare line break (every multi-line text of a fiche) must be quoted explicitly,
// or spreadsheets read each of its lines as a new row.
const CSV_OPTIONS = { delimiter: ';', record_delimiter: 'windows', quoted_match: /[\r\n]/ } as const;

type Source = { db: Db; ref: ReferenceIndex; batches: AsyncIterable<number[]> };

async function* textChunks(
  { db, ref, batches }: Source,
  format: Exclude<ExportFormat, 'xlsx'>,
  request: ExportRequest,
) {
  const publicUrl = request.publicUrl ?? '';
  let count = 0;
  if (format === 'dump') yield HEADER;
  if (format === 'json') yield '[';
  if (format === 'csv') {
    yield stringify([SHEET_COLUMNS.map((c) => c.header)], { ...CSV_OPTIONS, bom: true });
  }
  for await (const fiche of fiches(db, batches, request)) {
    if (format === 'dump') yield `\n${ficheLines(toDumpFiche(fiche, ref)).join('\n')}`;
    else if (format === 'csv') {
      yield stringify([csvRow(presentFiche(fiche, ref), publicUrl)], CSV_OPTIONS);
    } else {
      const json = JSON.stringify(presentFiche(fiche, ref), null, format === 'json' ? 2 : undefined);
      yield format === 'json' ? `${count === 0 ? '\n' : ',\n'}${json}` : `${json}\n`;
    }
    count++;
  }
  if (format === 'json') yield count === 0 ? ']\n' : '\n]\n';
}

// ExcelJS's streaming writer stores a plain string as a formula's cached result (t="str"), whose
// leading and trailing white space LibreOffice drops; an inline string keeps the text exactly,
// and unlike shared strings it needs no table of every string held until the end.
const inlineText = (value: string | number | null) =>
  typeof value === 'string' ? { richText: [{ text: value }] } : value;

// ExcelJS's streaming writer keeps one row at a time: rows are committed as they are added.
function xlsxStream({ db, ref, batches }: Source, request: ExportRequest): Readable {
  const out = new PassThrough();
  const write = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
    const sheet = workbook.addWorksheet('Fiches actions', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = SHEET_COLUMNS.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 20 }));
    sheet.getRow(1).font = { bold: true };
    for await (const fiche of fiches(db, batches, request)) {
      const row = sheet.addRow(sheetRow(presentFiche(fiche, ref), request.publicUrl ?? '').map(inlineText));
      row.alignment = { wrapText: true, vertical: 'top' };
      row.commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: Error) => out.destroy(error));
  return out;
}

/**
 * The fiches a search finds, in one format, as a stream read batch by batch: a national export
 * never sits whole in memory. In the order the fiches were first stored.
 */
export async function exportStream(db: Db, format: ExportFormat, request: ExportRequest = {}): Promise<Readable> {
  const source = {
    db,
    ref: await loadReferenceIndex(db),
    batches: await matchingActionIds(db, request.search ?? {}),
  };
  return format === 'xlsx' ? xlsxStream(source, request) : Readable.from(textChunks(source, format, request));
}

/** Writes an export chunk by chunk (waiting on `write`); returns the number of fiches. */
export async function exportFiches(
  db: Db,
  format: ExportFormat,
  write: (chunk: string | Buffer) => void | Promise<void>,
  request: ExportRequest = {},
): Promise<number> {
  let count = 0;
  const stream = await exportStream(db, format, {
    ...request,
    onFiche: () => {
      count++;
      request.onFiche?.();
    },
  });
  for await (const chunk of stream) await write(chunk);
  return count;
}
