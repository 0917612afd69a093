import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/database.js';
import { EXPORT_TYPES, type ExportFormat } from '../exports/export-formats.js';
import { type ExportLicence, exportFiches } from '../exports/exports.service.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { dataPackage, OPEN_DATA_FILES, tableSchema } from './table-schema.js';

/** A file of the open data, as its page lists it. */
export interface OpenDataFile {
  name: string;
  label: string;
  mediaType: string;
  size: number;
}

/** What a build wrote: when, how many fiches, which files. */
export interface OpenDataManifest {
  builtAt: string;
  fiches: number;
  files: OpenDataFile[];
}

/** The site the files name: its address and the data's licence. */
export interface OpenDataSite {
  publicUrl: string;
  licence: ExportLicence;
}

const MANIFEST = 'manifest.json';
// Rows of the CSV's example: its header, then the first fiches.
const EXAMPLE_CHUNKS = 6;

/** Where the current build is read from: a link to the latest build's folder. */
export function openDataDir(dataDir: string): string {
  return path.join(dataDir, 'opendata');
}

// Writes chunks to a file, waiting when the disk lags; returns what `produce` returns.
async function toFile<T>(
  file: string,
  produce: (write: (chunk: string | Buffer) => unknown) => Promise<T>,
): Promise<T> {
  const out = createWriteStream(file);
  const write = (chunk: string | Buffer) => (out.write(chunk) ? undefined : once(out, 'drain'));
  const result = await produce(write);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return result;
}

const FORMATS: Array<{ format: ExportFormat; file: string }> = [
  { format: 'csv', file: OPEN_DATA_FILES.csv },
  { format: 'xlsx', file: OPEN_DATA_FILES.xlsx },
  { format: 'json', file: OPEN_DATA_FILES.json },
  { format: 'dump', file: OPEN_DATA_FILES.dump },
];

const LABELS: Record<string, string> = {
  [OPEN_DATA_FILES.schema]: 'Schéma du tableur CSV (Table Schema)',
  [OPEN_DATA_FILES.example]: 'Exemple de tableur CSV valide (cinq fiches)',
  [OPEN_DATA_FILES.datapackage]: 'Description du jeu de données (Data Package)',
};

/**
 * Writes the whole catalogue's open data (CSV, XLSX, JSON, the SENACS text format, the CSV's
 * Table Schema and an example, a data package) into a new folder, then points `opendata` at
 * it by renaming a link over the old one: readers see the previous build or this one, whole,
 * never half of one. Older builds are removed after.
 */
export async function buildOpenData(db: Db, dataDir: string, site: OpenDataSite): Promise<OpenDataManifest> {
  const builds = path.join(dataDir, 'opendata-builds');
  await mkdir(builds, { recursive: true });
  const builtAt = new Date();
  const dir = await mkdtemp(path.join(builds, `${builtAt.toISOString().replace(/[:.]/g, '-')}-`));
  const request = { publicUrl: site.publicUrl, licence: site.licence };
  let fiches = 0;
  const example: Array<string | Buffer> = [];
  for (const { format, file } of FORMATS) {
    fiches = await toFile(path.join(dir, file), (write) =>
      exportFiches(
        db,
        format,
        (chunk) => {
          // The CSV export yields its header, then a chunk per fiche.
          if (format === 'csv' && example.length < EXAMPLE_CHUNKS) example.push(chunk);
          return write(chunk) as Promise<void> | undefined;
        },
        request,
      ),
    );
  }
  await writeFile(path.join(dir, OPEN_DATA_FILES.example), example.join(''));
  const schema = tableSchema(await loadReferenceIndex(db), site);
  await writeFile(path.join(dir, OPEN_DATA_FILES.schema), `${JSON.stringify(schema, null, 2)}\n`);
  await writeFile(
    path.join(dir, OPEN_DATA_FILES.datapackage),
    `${JSON.stringify(dataPackage(site, builtAt), null, 2)}\n`,
  );
  const files = await Promise.all(
    Object.values(OPEN_DATA_FILES).map(async (name) => ({
      name,
      label: LABELS[name] ?? EXPORT_TYPES[FORMATS.find((f) => f.file === name)?.format ?? 'csv'].label,
      mediaType: mediaTypeOf(name),
      size: (await stat(path.join(dir, name))).size,
    })),
  );
  const manifest: OpenDataManifest = { builtAt: builtAt.toISOString(), fiches, files };
  await writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
  const link = path.join(dataDir, `opendata.${process.pid}.link`);
  await rm(link, { force: true });
  await symlink(path.relative(dataDir, dir), link);
  await rename(link, openDataDir(dataDir));
  for (const old of await readdir(builds)) {
    if (old !== path.basename(dir)) await rm(path.join(builds, old), { recursive: true, force: true });
  }
  return manifest;
}

function mediaTypeOf(name: string): string {
  const format = FORMATS.find((f) => f.file === name)?.format;
  if (format) return EXPORT_TYPES[format].mediaType;
  return name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/json';
}

/** The current build's manifest, or null before the first build. */
export async function readOpenDataManifest(dataDir: string): Promise<OpenDataManifest | null> {
  try {
    return JSON.parse(await readFile(path.join(openDataDir(dataDir), MANIFEST), 'utf8')) as OpenDataManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
