import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { FIXTURES, testEngines, useTestDatabase } from '../../test/helpers/databases.js';
import { copyRows } from '../db/copy.js';
import type { Db } from '../db/database.js';
import { DocumentBuilder } from './documents.js';
import { type DocumentTexts, readSearchTexts } from './search-rows.repository.js';

// Texts the parser makes more than words of: addresses, numbers, hyphens, tags, entities,
// scripts, quotes and backslashes, runs of punctuation, empty texts.
const AWKWARD: string[] = JSON.parse(readFileSync(path.join(FIXTURES, 'analysis-texts.json'), 'utf8'));

/**
 * The documents as PostgreSQL reads them from a binary COPY, as the import writes them, in text
 * form; and the texts whose document is not PostgreSQL's own `action_search_document`.
 */
async function stored(
  db: Db,
  texts: DocumentTexts[],
  documents: Uint8Array[],
): Promise<{ documents: string[]; differing: DocumentTexts[] }> {
  return db.transaction().execute(async (trx) => {
    await sql`create temp table probe_documents (n int, title text, summary text, body text, context text,
      document tsvector) on commit drop`.execute(trx);
    await copyRows(
      trx,
      'probe_documents',
      ['n', 'title', 'summary', 'body', 'context', 'document'],
      texts.map((t, i) => [i + 1, t.title, t.summary, t.body, t.context, documents[i]]),
    );
    const { rows } = await sql<{ n: number; document: string; same: boolean }>`
      select n, document::text as document, document = action_search_document(title, summary, body, context) as same
      from probe_documents order by n`.execute(trx);
    return {
      documents: rows.map((r) => r.document),
      differing: rows.filter((r) => !r.same).map((r) => texts[r.n - 1]),
    };
  });
}

for (const engine of testEngines()) {
  describe(`search documents put together from the analysis of each piece (${engine})`, () => {
    const ctx = useTestDatabase(engine, { seed: true });

    it('gives the document PostgreSQL makes of the seed fiches, batch after batch', async () => {
      const { rows } = await sql<{ id: number }>`select id from actions order by id`.execute(ctx.handle.db);
      const texts = await readSearchTexts(
        ctx.handle.db,
        rows.map((r) => r.id),
      );
      assert.ok(texts.length >= 20, `${texts.length} fiches`);
      const builder = new DocumentBuilder(ctx.handle.db);
      // The second half reuses most pieces of the first, already analysed.
      const half = Math.floor(texts.length / 2);
      const [first, second] = await Promise.all([
        builder.documents(texts.slice(0, half)),
        builder.documents(texts.slice(half)),
      ]);
      assert.deepEqual((await stored(ctx.handle.db, texts, [...first, ...second])).differing, []);
    });

    it('gives the document PostgreSQL makes of awkward texts, in each of the four places', async () => {
      const texts: DocumentTexts[] = [];
      for (const [i, text] of AWKWARD.entries()) {
        for (let place = 0; place < 4; place++) {
          const four = ['atelier cuisine', '', 'le centre social', 'Lyon'];
          four[place] = text;
          four[(place + 1) % 4] = AWKWARD[(i + 5) % AWKWARD.length];
          const [title, summary, body, context] = four;
          texts.push({ title, summary, body, context });
        }
      }
      const documents = await new DocumentBuilder(ctx.handle.db).documents(texts);
      assert.deepEqual((await stored(ctx.handle.db, texts, documents)).differing, []);
    });

    it('caps positions as PostgreSQL does in long texts: 16 383 at most, 256 to a word', async () => {
      const long = 'mot '.repeat(17_000);
      const texts: DocumentTexts[] = [
        { title: `${long}fin social`, summary: `social ${long}`, body: 'social', context: long },
        { title: 'social '.repeat(400), summary: 'social', body: `${'jardin '.repeat(300)}social`, context: 'social' },
        { title: `${long}fin`, summary: 'social social', body: 'social', context: '' },
      ];
      const { documents, differing } = await stored(
        ctx.handle.db,
        texts,
        await new DocumentBuilder(ctx.handle.db).documents(texts),
      );
      assert.match(documents[0], /'mot':1A,2A,3A/);
      // 255 positions of a text at most, 256 for the document, whatever comes after.
      assert.equal(/'social':([^ ]*)/.exec(documents[1])?.[1].split(',').length, 256);
      // Past the last position, a word is added there once, however many times it comes again.
      assert.match(documents[2], /'social':16383B( |$)/);
      assert.deepEqual(differing, []);
    });
  });
}
