import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { actionKey, countActions, findActionIds, loadFiches } from '../actions/actions.repository.js';
import { type FicheWrite, type FicheWriter, writeFiches } from '../actions/actions.service.js';
import { diffContent, type FicheContent, inferStructureKind } from '../actions/fiche.js';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Database, Db } from '../db/database.js';
import { analyzeTables, suspendForeignKeys } from '../db/maintenance.js';
import { SearchIndexer } from '../search/indexing.service.js';
import { countSearchRows, suspendSearchIndexes } from '../search/search-rows.repository.js';
import { openAnalysisWorker, type TextAnalysis } from '../search/text-analysis.js';
import { findStructureIds, insertStructures, structureKey } from '../structures/structures.repository.js';
import { findDepartementByName } from '../vocabularies/departements.js';
import { VocabularyResolver } from '../vocabularies/vocabularies.service.js';
import { dumpFicheContent } from './fiche-content.js';
import { type DumpFiche, withFieldsOutsideDump } from './format.js';
import { type DumpProblem, type DumpReader, formatProblem, readDump } from './parser.js';

export interface ImportOptions {
  /** Runs the whole import, then rolls it back: the summary says what would happen. */
  dryRun?: boolean;
  /** Who imports, for the history. */
  actor?: string;
  /** Called after each batch: fiches stored, then fiches indexed for search. */
  onProgress?: (phase: ImportPhase, done: number, total: number) => void;
}

/** What the import is doing: storing the fiches, then indexing them for search. */
export type ImportPhase = 'store' | 'index';

// Fiches stored per round of statements: large enough to make round trips rare, small enough
// to stay far below PostgreSQL's 65 535 parameters a statement.
const BATCH_SIZE = 500;

// While a batch is stored, the reading of the next gives the batch's statements a turn after
// this many fiches: a tenth of a millisecond or so of reading, which a statement's answer waits.
const FICHES_BETWEEN_TURNS = 4;

// Fiches from which an import has its texts analysed apart and may build the search indexes
// at the end.
const BULK_LOAD = 2000;

// The tables an import writes, whose foreign keys a first load checks once at the end.
const FICHE_TABLES = [
  'actions',
  'action_keywords',
  'action_publics',
  'action_partners',
  'action_initiatives',
  'attachments',
  'action_history',
  'action_budgets',
  'action_search',
];

export interface ImportSummary {
  fiches: number;
  created: number;
  updated: number;
  unchanged: number;
  warnings: DumpProblem[];
  dryRun: boolean;
}

/** A dump that cannot be imported; nothing was written. */
export class DumpImportError extends AppError {
  constructor(readonly problems: DumpProblem[]) {
    super('invalid_dump', problems.map(formatProblem).join('\n'));
  }
}

class DryRunRollback extends Error {}

/**
 * Imports a dump in one transaction: every fiche or none. A fiche is identified by its
 * structure and title, so importing the same file again changes nothing.
 */
export async function importDump(
  db: Kysely<Database>,
  input: string | Uint8Array,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const dump = readDump(input);
  if (dump.errors.length > 0) throw new DumpImportError(dump.errors);
  const summary = newSummary(options);
  try {
    await db.transaction().execute(async (trx) => {
      const endFirstLoad = await startFirstLoad(trx, dump.opened);
      // Each stored batch is indexed at once, its texts analysed elsewhere for a large import,
      // while this transaction stores the next batch.
      const analysis = dump.opened >= BULK_LOAD ? await openAnalysisWorker(db, trx) : undefined;
      try {
        const changed = await storeFiches(trx, dump, summary, options, analysis);
        await endFirstLoad?.();
        // Again for the search rows and the fiches' last batches, or they would be planned as fewer.
        if (changed > BATCH_SIZE) await analyzeTables(trx);
      } finally {
        await analysis?.close();
      }
      if (summary.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return summary;
}

/**
 * Reads the dump's fiches and stores them a batch at a time, then writes what is left of their
 * search rows; returns how many fiches were written. A batch is stored while the next is read,
 * so that the transaction's statements and the reading of the file run side by side. Every
 * problem of the file is thrown at the end, by line, and nothing is stored past the first.
 */
async function storeFiches(
  trx: Db,
  dump: DumpReader,
  summary: ImportSummary,
  options: ImportOptions,
  analysis: TextAnalysis | undefined,
): Promise<number> {
  const errors: DumpProblem[] = [];
  const resolver = await VocabularyResolver.load(trx);
  const seen = new Map<string, number>();
  // Into an empty catalogue, every fiche is new: the file's repeats are found as it is read.
  const allNew = (await countActions(trx)) === 0;
  let changed = 0;
  let stored = false;
  const indexer = new SearchIndexer(trx, {
    analysis,
    onProgress: (done, total) => {
      if (stored) options.onProgress?.('index', done, total);
    },
  });
  const writer = importWriter(options.actor ?? 'import', async (ids) => {
    changed += ids.length;
    // Tables that grew from little in this transaction would be planned as still small.
    if (changed >= BULK_LOAD && changed - ids.length < BULK_LOAD) await analyzeTables(trx);
    await indexer.add(ids);
  });
  let storing: Promise<void> = Promise.resolve();
  let busy = false;
  const store = (batch: PendingFiche[]): Promise<void> => {
    // Once the import is known to fail, storing more is wasted work: only check the rest.
    if (errors.length > 0 || dump.errors.length > 0) return Promise.resolve();
    busy = true;
    const done = saveBatch(trx, summary, batch, writer, allNew).finally(() => {
      busy = false;
    });
    // Awaited before the next batch; a failure meanwhile must not count as unhandled.
    done.catch(() => {});
    return done;
  };
  let batch: PendingFiche[] = [];
  let read = 0;
  for (const fiche of dump.fiches()) {
    read++;
    const place = placeOf(fiche, seen);
    if ('message' in place) errors.push(place);
    else {
      batch.push({
        structure: { name: fiche.structureName, departementCode: place.departementCode },
        content: await dumpFicheContent(fiche, resolver, summary.warnings),
      });
    }
    if (batch.length === BATCH_SIZE) {
      await storing;
      storing = store(batch);
      batch = [];
      options.onProgress?.('store', read, dump.opened);
    } else if (busy && read % FICHES_BETWEEN_TURNS === 0) await setImmediate();
  }
  await storing;
  await store(batch);
  options.onProgress?.('store', dump.opened, dump.opened);
  const problems = [...dump.errors, ...errors].sort((a, b) => a.line - b.line);
  if (problems.length > 0) throw new DumpImportError(problems);
  summary.fiches = read;
  summary.warnings = [...dump.warnings, ...summary.warnings];
  stored = true;
  await indexer.finish();
  return changed;
}

/**
 * For a file of twice as many fiches as the catalogue holds (a first load, a restore): drops the
 * search indexes and the fiches' foreign keys, and returns what builds and checks them again
 * before commit. Any other import, a full re-import included, keeps them (null): their drop
 * would hold up the site's searches and pages until commit.
 */
async function startFirstLoad(trx: Db, fiches: number): Promise<(() => Promise<void>) | null> {
  if (fiches < BULK_LOAD || fiches < 2 * (await countSearchRows(trx))) return null;
  const rebuildIndexes = await suspendSearchIndexes(trx);
  const restoreForeignKeys = await suspendForeignKeys(trx, FICHE_TABLES);
  return async () => {
    await rebuildIndexes();
    await restoreForeignKeys();
  };
}

/** The import's writer of fiches: marks them imported and hands their ids to the import's indexer. */
function importWriter(actor: string, index: (ids: number[]) => Promise<void>): FicheWriter {
  return { actor, source: 'import', imported: true, index: (_, ids) => index(ids) };
}

/** What an import reports before it has read a fiche. */
function newSummary(options: ImportOptions): ImportSummary {
  return { fiches: 0, created: 0, updated: 0, unchanged: 0, warnings: [], dryRun: options.dryRun === true };
}

/**
 * The département of a dump's fiche, or the problem that stops its import: a département the
 * reference data does not know, or the same structure and title seen earlier in the file.
 */
function placeOf(fiche: DumpFiche, seen: Map<string, number>): { departementCode: string } | DumpProblem {
  const departement = findDepartementByName(fiche.departementName);
  if (!departement) {
    return {
      line: (fiche.labelLines.structure ?? fiche.line) + 1,
      fiche: fiche.title,
      message: `département inconnu ${quote(fiche.departementName)}.`,
    };
  }
  const key = `${departement.code}\u0000${fiche.structureName}\u0000${fiche.title}`;
  const firstLine = seen.get(key);
  if (firstLine !== undefined) {
    return {
      line: fiche.line,
      fiche: fiche.title,
      message: `cette fiche figure déjà ligne ${firstLine} (même structure, même titre).`,
    };
  }
  seen.set(key, fiche.line);
  return { departementCode: departement.code };
}

/** A fiche read from the dump, ready to store. */
interface PendingFiche {
  structure: { name: string; departementCode: string };
  content: FicheContent;
}

/**
 * Stores a batch of fiches with their structures, history and search rows: new fiches in a few
 * multi-row statements, changed ones one by one, unchanged ones not at all. `allNew` when none
 * can be in the catalogue already, which is then not searched for them.
 */
async function saveBatch(
  trx: Db,
  summary: ImportSummary,
  batch: PendingFiche[],
  by: FicheWriter,
  allNew: boolean,
): Promise<void> {
  const structureIds = await findStructureIds(
    trx,
    batch.map((f) => f.structure),
  );
  const missing = [...new Map(batch.map((f) => [structureKey(f.structure), f.structure])).values()].filter(
    (s) => !structureIds.has(structureKey(s)),
  );
  const created = await insertStructures(
    trx,
    missing.map((s) => ({ ...s, kind: inferStructureKind(s.name) })),
  );
  for (const [i, s] of missing.entries()) structureIds.set(structureKey(s), created[i]);

  const placed = batch.map((f) => ({ structureId: structureIds.get(structureKey(f.structure)) as number, ...f }));
  const existingIds = allNew
    ? new Map<string, number>()
    : await findActionIds(
        trx,
        placed.map((f) => ({ structureId: f.structureId, title: f.content.title })),
      );
  const fresh: FicheWrite[] = [];
  const known: Array<{ id: number; content: FicheContent }> = [];
  for (const { structureId, content } of placed) {
    const id = existingIds.get(actionKey(structureId, content.title));
    if (id === undefined) fresh.push({ structureId, content, before: null, operation: 'create' });
    else known.push({ id, content });
  }
  const stored = new Map(
    (
      await loadFiches(
        trx,
        known.map((f) => f.id),
      )
    ).map((f) => [f.id, f]),
  );
  const changed = known.flatMap(({ id, content }): FicheWrite[] => {
    const before = stored.get(id) ?? null;
    const after = before ? withFieldsOutsideDump(before, content) : content;
    return Object.keys(diffContent(before, after)).length === 0
      ? []
      : [{ id, content: after, before, operation: 'update' }];
  });
  summary.created += fresh.length;
  summary.updated += changed.length;
  summary.unchanged += known.length - changed.length;
  await writeFiches(trx, [...fresh, ...changed], by);
}
