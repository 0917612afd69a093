import type { Kysely } from 'kysely';
import { listStaleBudgets, refreshBudgets } from '../budgets/budgets.service.js';
import { concurrencyOf, openScratchDatabase } from '../db/connect.js';
import type { Database, Db } from '../db/database.js';
import { WordCounts } from './lexicon.js';
import {
  addLexiconWords,
  analyseDocuments,
  copyTextAnalysis,
  listUnindexedActionIds,
  readSearchTexts,
  replaceSearchRows,
  type SearchTexts,
} from './search-rows.repository.js';

// The write side of the search: the search rows (budget, analysed texts) and the lexicon, kept
// up to date in the transaction that changes the fiches.

/** How an indexing may spread the analysis of the texts, the costly part of a search row. */
export interface IndexOptions {
  /**
   * A handle outside the caller's transaction for the analysis, a pure computation that needs
   * no row of it; the transaction's own connection when absent.
   */
  analysis?: Db;
  /** How many analyses may be in flight at once on `analysis`: one per core it may use. */
  parallel?: number;
  /** Called as the search rows are written: fiches done, fiches in all. */
  onProgress?: (done: number, total: number) => void;
}

/** Where an import has its texts analysed beside its transaction; `close` when it is done. */
export interface Analysis {
  options: Pick<IndexOptions, 'analysis' | 'parallel'>;
  close(): Promise<void>;
}

/**
 * Where a large write has its texts analysed while its transaction `trx` on `db` goes on: the
 * pool's other connections on PostgreSQL, one per core; on PGlite, whose one session the
 * transaction holds, a scratch PGlite in a worker thread, set up like the database.
 */
export async function openAnalysis(db: Kysely<Database>, trx: Db): Promise<Analysis> {
  const parallel = concurrencyOf(db);
  if (parallel > 1) return { options: { analysis: db, parallel }, close: async () => {} };
  const scratch = await openScratchDatabase();
  try {
    await copyTextAnalysis(trx, scratch.db);
  } catch (error) {
    await scratch.close();
    throw error;
  }
  // Two in flight, so that the scratch database never waits for the next chunk.
  return { options: { analysis: scratch.db, parallel: 2 }, close: () => scratch.close() };
}

// Fiches read, analysed and written together.
const INDEX_CHUNK = 500;

type Analysed = { ids: number[]; texts: SearchTexts[]; documents: Promise<string[]> };

/**
 * Indexes fiches as a caller writes them, a chunk at a time: the budget and the texts are read
 * in the caller's transaction, the texts analysed (on `analysis` when given) while the caller
 * goes on, and the search row written at a later call. `finish` writes what is left and adds
 * the words to the lexicon; nothing is indexed until it has returned.
 */
export class SearchIndexer {
  private readonly words = new WordCounts();
  private readonly running: Analysed[] = [];
  private readonly parallel: number;
  private added = 0;
  private written = 0;

  /** `db` is the transaction that writes the fiches. */
  constructor(
    private readonly db: Db,
    private readonly options: IndexOptions = {},
  ) {
    this.parallel = options.analysis ? Math.max(1, options.parallel ?? 1) : 1;
  }

  /** Reads these fiches' budgets and texts, and has their texts analysed. */
  async add(actionIds: number[]): Promise<void> {
    for (let i = 0; i < actionIds.length; i += INDEX_CHUNK) {
      const ids = actionIds.slice(i, i + INDEX_CHUNK);
      // The budget first: the search row carries its total and class.
      await refreshBudgets(this.db, ids);
      const texts = await readSearchTexts(this.db, ids);
      this.words.add(texts.map((t) => `${t.title} ${t.summary} ${t.body} ${t.context}`));
      const documents = analyseDocuments(this.options.analysis ?? this.db, texts);
      // Awaited later; a failure meanwhile must not count as unhandled.
      documents.catch(() => {});
      this.running.push({ ids, texts, documents });
      this.added += ids.length;
      if (this.running.length >= this.parallel) await this.writeOldest();
    }
  }

  /** Writes the search rows still being analysed, then the lexicon's new words. */
  async finish(): Promise<void> {
    while (this.running.length > 0) await this.writeOldest();
    await addLexiconWords(this.db, this.words.wordList(), this.words.documentCounts());
  }

  private async writeOldest(): Promise<void> {
    const { ids, texts, documents } = this.running.shift() as Analysed;
    const analysed = await documents;
    await replaceSearchRows(
      this.db,
      ids,
      texts.map((t, i) => ({ texts: t, document: analysed[i] })),
    );
    this.written += ids.length;
    this.options.onProgress?.(this.written, this.added);
  }
}

/**
 * Brings the budgets and search rows of these fiches up to date, and adds their words to the
 * lexicon; call it in the transaction that changed them.
 */
export async function indexActions(db: Db, actionIds: number[], options: IndexOptions = {}): Promise<void> {
  const indexer = new SearchIndexer(db, options);
  await indexer.add(actionIds);
  await indexer.finish();
}

/**
 * Indexes every fiche that has no search row yet, and those whose budget an older extractor
 * read; returns how many there were.
 */
export async function indexUnindexedActions(db: Db): Promise<number> {
  let count = 0;
  for (let stale = await listStaleBudgets(db, 1000); stale.length > 0; stale = await listStaleBudgets(db, 1000)) {
    await indexActions(db, stale);
    count += stale.length;
  }
  const ids = await listUnindexedActionIds(db);
  await indexActions(db, ids);
  return count + ids.length;
}
