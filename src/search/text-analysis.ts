import type { Kysely } from 'kysely';
import { type BudgetReader, readBudgetsHere } from '../budgets/budgets.service.js';
import type { Budget } from '../budgets/extract.js';
import { startWorker } from '../core/worker-rpc.js';
import { connectionOf, type DbOptions } from '../db/connect.js';
import type { Database, Db } from '../db/database.js';
import { WordCounts } from './lexicon.js';
import { analyseDocuments, type DocumentTexts, textAnalysisSetup } from './search-rows.repository.js';

/** The words of texts for the lexicon: each word, and how many texts hold it, in the same order. */
export interface WordTally {
  words: string[];
  documents: number[];
}

/** What turns fiches' texts into search documents, tallies their words for the lexicon, and reads their budgets. */
export interface TextAnalysis {
  /** How many `documents` calls may be in flight at once. */
  readonly parallel: number;
  /**
   * The search documents of these texts, in their order, in tsvector's binary form; their
   * words are tallied.
   */
  documents(texts: DocumentTexts[]): Promise<Uint8Array[]>;
  /** The words of every text given so far. */
  words(): Promise<WordTally>;
  /** The budgets of resources texts, in their order. */
  budgets: BudgetReader;
  close(): Promise<void>;
}

/** A request to the analysis worker: texts to analyse, the tally of their words, or resources texts to read budgets from. */
export type AnalysisRequest = { texts: DocumentTexts[] } | { tally: true } | { resources: Array<string | null> };

/** How the analysis worker reaches a database that analyses text: its own connection, or a scratch PGlite set up so. */
export type AnalysisSource = { connection: DbOptions } | { setup: string[] };

/**
 * The analysis of a write of a few fiches, in its own transaction `db`: each text analysed
 * whole by PostgreSQL, the words tallied in this thread.
 */
export function analysisInTransaction(db: Db): TextAnalysis {
  const counts = new WordCounts();
  return {
    parallel: 1,
    documents(texts) {
      counts.add(texts.map((t) => `${t.title} ${t.summary} ${t.body} ${t.context}`));
      return analyseDocuments(db, texts);
    },
    words: async () => ({ words: counts.wordList(), documents: counts.documentCounts() }),
    budgets: readBudgetsHere,
    close: async () => {},
  };
}

/**
 * The analysis of a large import beside its transaction `trx` on `db`: a worker thread that
 * puts the documents together from the analysis of each distinct piece of text (ADR 0031),
 * asked of its own connection on PostgreSQL, of a scratch PGlite set up like the database on
 * PGlite, whose one session the transaction holds. It tallies the words too, off the thread
 * that the import's chain of statements runs on.
 */
export async function openAnalysisWorker(db: Kysely<Database>, trx: Db): Promise<TextAnalysis> {
  const connection = connectionOf(db);
  const source: AnalysisSource = connection ? { connection } : { setup: await textAnalysisSetup(trx) };
  const worker = await startWorker<AnalysisRequest, unknown>(
    new URL('./analysis-worker-entry.mjs', import.meta.url),
    source,
  );
  return {
    // Two in flight, so that the worker never waits for the next chunk.
    parallel: 2,
    // Only the four texts are sent: the worker copies what it is given.
    documents: (texts) =>
      worker.request({
        texts: texts.map(({ title, summary, body, context }) => ({ title, summary, body, context })),
      }) as Promise<Uint8Array[]>,
    words: () => worker.request({ tally: true }) as Promise<WordTally>,
    // Off the thread that the transaction's statements wait on: 4 s of 100 000 fiches' import.
    budgets: (resources) => worker.request({ resources }) as Promise<Budget[]>,
    close: () => worker.close(),
  };
}
