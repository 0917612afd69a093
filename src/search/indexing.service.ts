import { listStaleBudgets, startBudgetRefresh } from '../budgets/budgets.service.js';
import type { Db } from '../db/database.js';
import {
  addLexiconWords,
  listUnindexedActionIds,
  readSearchTexts,
  replaceSearchRows,
  type SearchTexts,
} from './search-rows.repository.js';
import { analysisInTransaction, type TextAnalysis } from './text-analysis.js';

// The write side of the search: the search rows (budget, analysed texts) and the lexicon, kept
// up to date in the transaction that changes the fiches.

/** How an indexing may spread the analysis of the texts, the costly part of a search row. */
export interface IndexOptions {
  /**
   * What analyses the texts outside the caller's transaction (an import's worker); the
   * transaction itself when absent.
   */
  analysis?: TextAnalysis;
  /** Called as the search rows are written: fiches done, fiches in all. */
  onProgress?: (done: number, total: number) => void;
}

// Fiches read, analysed and written together.
const INDEX_CHUNK = 500;

type Analysed = { ids: number[]; texts: SearchTexts[]; documents: Promise<Uint8Array[]> };

/**
 * Indexes fiches as a caller writes them, a chunk at a time: the budget and the texts are read
 * in the caller's transaction, the texts analysed (on `analysis` when given) while the caller
 * goes on, and the search row written at a later call. `finish` writes what is left and adds
 * the words to the lexicon; nothing is indexed until it has returned.
 */
export class SearchIndexer {
  private readonly analysis: TextAnalysis;
  private readonly running: Analysed[] = [];
  private added = 0;
  private written = 0;

  /** `db` is the transaction that writes the fiches. */
  constructor(
    private readonly db: Db,
    private readonly options: IndexOptions = {},
  ) {
    this.analysis = options.analysis ?? analysisInTransaction(db);
  }

  /** Reads these fiches' budgets and texts, and has their texts analysed. */
  async add(actionIds: number[]): Promise<void> {
    for (let i = 0; i < actionIds.length; i += INDEX_CHUNK) {
      const ids = actionIds.slice(i, i + INDEX_CHUNK);
      // The budget first: the search row carries its total and class. While the analysis reads
      // it (a worker's, in an import), the transaction writes the oldest chunk's search rows.
      const storeBudgets = await startBudgetRefresh(this.db, ids, this.analysis.budgets);
      if (this.running.length >= this.analysis.parallel) await this.writeOldest();
      await storeBudgets();
      const texts = await readSearchTexts(this.db, ids);
      const documents = this.analysis.documents(texts);
      // Awaited later; a failure meanwhile must not count as unhandled.
      documents.catch(() => {});
      this.running.push({ ids, texts, documents });
      this.added += ids.length;
    }
  }

  /** Writes the search rows still being analysed, then the lexicon's new words. */
  async finish(): Promise<void> {
    while (this.running.length > 0) await this.writeOldest();
    const { words, documents } = await this.analysis.words();
    await addLexiconWords(this.db, words, documents);
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
