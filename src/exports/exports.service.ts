import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { presentFiche } from '../actions/actions.presenter.js';
import { loadFiches } from '../actions/actions.repository.js';
import type { StoredFiche } from '../actions/fiche.js';
import type { SiteSettings } from '../config.js';
import type { Db } from '../db/database.js';
import { HEADER } from '../legacy-dump/format.js';
import { toDumpFiche } from '../legacy-dump/to-dump.js';
import { ficheLines } from '../legacy-dump/writer.js';
import { FACET_NAMES } from '../search/facets.js';
import type { SearchRequest } from '../search/search.model.js';
import { searchHref } from '../search/search.params.js';
import { facetLabel } from '../search/search.results.js';
import { matchingActionIds } from '../search/search.service.js';
import { loadReferenceIndex, type ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import type { ExportFormat } from './export-formats.js';
import { csvRow, SHEET_COLUMNS, sheetRow } from './exports.presenter.js';

/** The licence of the exported data, stated in the JSON's metadata and the XLSX's « À propos » sheet. */
export type ExportLicence = SiteSettings['licence'];

/** What to export: a search (every fiche by default), the site's address for links, the licence. */
export interface ExportRequest {
  search?: SearchRequest;
  /** Prefixed to the fiches' paths in spreadsheets, so that links work once downloaded. */
  publicUrl?: string;
  licence: ExportLicence;
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
  if (format === 'json') yield jsonHead(request);
  if (format === 'csv') {
    yield stringify([SHEET_COLUMNS.map((c) => c.header)], { ...CSV_OPTIONS, bom: true });
  }
  for await (const fiche of fiches(db, batches, request)) {
    if (format === 'dump') yield `\n${ficheLines(toDumpFiche(fiche, ref)).join('\n')}`;
    else if (format === 'csv') {
      yield stringify([csvRow(presentFiche(fiche, ref), publicUrl)], CSV_OPTIONS);
    } else {
      const json = JSON.stringify(presentFiche(fiche, ref), null, format === 'json' ? 2 : undefined);
      yield format === 'json' ? `${count === 0 ? '\n' : ',\n'}${json.replace(/^/gm, '  ')}` : `${json}\n`;
    }
    count++;
  }
  if (format === 'json') yield count === 0 ? ']\n}\n' : '\n]\n}\n';
}

/**
 * The JSON export's metadata, before its fiches: where they come from (the search's address),
 * when, and under which licence they may be reused.
 */
function jsonHead(request: ExportRequest): string {
  const about = {
    source: 'Essaim',
    url: searchAddress(request),
    licence: { name: request.licence.name, url: request.licence.url },
    exportedAt: new Date().toISOString(),
  };
  return `${JSON.stringify(about, null, 2).replace(/\n}$/, ',')}\n  "fiches": [`;
}

/** The absolute address of the exported search's results page. */
function searchAddress(request: ExportRequest): string {
  const search = request.search ?? {};
  const filters = search.filters ?? {};
  const path = search.actionIds ? '/favoris' : searchHref('/actions', { q: search.q ?? '', page: 1, filters });
  return `${request.publicUrl ?? ''}${path}`;
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
    aboutSheet(workbook, request);
    await workbook.commit();
  };
  write().catch((error: Error) => out.destroy(error));
  return out;
}

/** The « À propos » sheet, after the fiches: the source, the search, the licence, the date. */
function aboutSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, request: ExportRequest): void {
  const sheet = workbook.addWorksheet('À propos');
  sheet.columns = [
    { header: 'À propos de ces données', key: 'what', width: 24 },
    { header: '', key: 'value', width: 90 },
  ];
  sheet.getRow(1).font = { bold: true };
  const rows: Array<[string, string]> = [
    ['Source', 'Essaim, le catalogue des actions des centres sociaux'],
    ['Recherche', searchAddress(request)],
    ['Licence', `${request.licence.name} : ${request.licence.url}`],
    [
      'Exporté le',
      new Date().toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }),
    ],
  ];
  for (const row of rows) sheet.addRow(row.map(inlineText)).commit();
  sheet.commit();
}

/** What a search holds, in words, for a file's name: its text, then its filters' labels. */
export async function exportSubject(db: Db, search: SearchRequest): Promise<string[]> {
  const ref = await loadReferenceIndex(db);
  const labels = FACET_NAMES.flatMap((name) =>
    (search.filters?.[name] ?? []).map((code) => facetLabel(ref, name, code) ?? code),
  );
  return [...(search.q?.trim() ? [search.q.trim()] : []), ...labels];
}

/**
 * The fiches a search finds, in one format, as a stream read batch by batch: a national export
 * never sits whole in memory. In the order the fiches were first stored.
 */
export async function exportStream(db: Db, format: ExportFormat, request: ExportRequest): Promise<Readable> {
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
  request: ExportRequest,
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
