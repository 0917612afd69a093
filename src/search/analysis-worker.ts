// Entry point of the worker thread that puts an import's search documents together (ADR 0031)
// beside its transaction, tallies the words of its texts for the lexicon, and reads their budgets.
import { sql } from 'kysely';
import { type Budget, extractBudget } from '../budgets/extract.js';
import { serveRequests } from '../core/worker-rpc.js';
import { openDatabase } from '../db/connect.js';
import { DocumentBuilder } from './documents.js';
import { WordCounts } from './lexicon.js';
import type { AnalysisRequest, AnalysisSource, WordTally } from './text-analysis.js';

serveRequests<AnalysisRequest, Uint8Array[] | WordTally | Budget[]>(async (data) => {
  const source = data as AnalysisSource;
  const analysis = await openDatabase('connection' in source ? source.connection : {});
  try {
    for (const statement of 'setup' in source ? source.setup : []) await sql.raw(statement).execute(analysis.db);
  } catch (error) {
    await analysis.close();
    throw error;
  }
  const builder = new DocumentBuilder(analysis.db);
  const counts = new WordCounts();
  return {
    async handle(request) {
      if ('tally' in request) return { words: counts.wordList(), documents: counts.documentCounts() };
      if ('resources' in request) return request.resources.map(extractBudget);
      counts.add(request.texts.map((t) => `${t.title} ${t.summary} ${t.body} ${t.context}`));
      return builder.documents(request.texts);
    },
    close: () => analysis.close(),
  };
});
