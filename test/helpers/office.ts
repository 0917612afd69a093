import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { tempDir } from './processes.js';
import { TOOLS } from './tools.js';

/**
 * LibreOffice's CSV import as a French user sets it: ";" between fields, '"' around texts,
 * UTF-8, from line 1, French number formats, quoted fields not forced to text, and formulas
 * evaluated (token 13), as a spreadsheet that would run an injected formula does.
 */
const FRENCH_CSV = 'CSV:59,34,76,1,,1036,false,false,false,false,false,-1,true';

/** One cell as LibreOffice read it: its value, and the formula when it made one. */
export interface OfficeCell {
  value: string | number | Date | null;
  formula?: string;
}

/**
 * Opens a CSV or XLSX file in LibreOffice (headless, a profile of its own so that runs never
 * share one) and saves it as XLSX in LibreOffice's own writing; returns a sheet's rows (the
 * first, or the one named) as LibreOffice read them. A generous timeout: the first start builds the profile, and the
 * machines are shared.
 */
export async function openInLibreOffice(
  bytes: Buffer,
  kind: 'csv' | 'xlsx',
  sheetName?: string,
): Promise<OfficeCell[][]> {
  const work = await tempDir('office');
  try {
    const input = path.join(work.dir, `input.${kind}`);
    await writeFile(input, bytes);
    const args = [
      '--headless',
      '--norestore',
      `-env:UserInstallation=${pathToFileURL(path.join(work.dir, 'profile')).href}`,
      ...(kind === 'csv' ? [`--infilter=${FRENCH_CSV}`] : []),
      '--convert-to',
      'xlsx:Calc MS Excel 2007 XML',
      '--outdir',
      path.join(work.dir, 'out'),
      input,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(TOOLS.libreoffice.path, args, { timeout: 180_000 }, (error, _stdout, stderr) =>
        error ? reject(new Error(`soffice failed: ${error.message}\n${stderr}`)) : resolve(),
      );
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(path.join(work.dir, 'out', 'input.xlsx'))) as unknown as ArrayBuffer);
    const sheet = sheetName ? workbook.getWorksheet(sheetName) : workbook.worksheets[0];
    if (!sheet)
      throw new Error(`LibreOffice a gardé les feuilles ${workbook.worksheets.map((w) => w.name).join(', ')}`);
    const rows: OfficeCell[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: OfficeCell[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) cells.push(officeCell(row.getCell(c).value));
      rows[rowNumber - 1] = cells;
    });
    return rows;
  } finally {
    await work.remove();
  }
}

function officeCell(value: ExcelJS.CellValue): OfficeCell {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'object' && !(value instanceof Date)) {
    if ('formula' in value || 'sharedFormula' in value) {
      const formula = 'formula' in value ? value.formula : String(value.sharedFormula);
      return { value: String(value.result ?? ''), formula };
    }
    if ('richText' in value) return { value: value.richText.map((t) => t.text).join('') };
    if ('text' in value) return { value: String(value.text) };
    return { value: String(value) };
  }
  return { value: value as string | number | Date };
}

/** A cell's text as a reader sees it; an empty cell reads as "". */
export function cellText(cell: OfficeCell | undefined): string {
  if (cell === undefined || cell.value === null) return '';
  return cell.value instanceof Date ? cell.value.toISOString() : String(cell.value);
}
