import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { generatedDump } from '../../bench/lib/dump-file.js';
import { testEngines, useTestDatabase } from '../../test/helpers/databases.js';
import { extractBudget } from '../budgets/extract.js';
import { importDump } from './import.service.js';

for (const engine of testEngines()) {
  describe(`a large dump import (${engine})`, () => {
    const ctx = useTestDatabase(engine, { reset: true });

    it('indexes a large import in chunks analysed by a worker thread, each document as the fiche’s own view gives it', async () => {
      // The first load drops the fiches' foreign keys and adds them back, checked, at its end.
      const foreignKeys = async () =>
        (
          await sql<{ name: string; definition: string; checked: boolean }>`
            select conname as name, pg_get_constraintdef(oid) as definition, convalidated as checked
            from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace
            order by conname`.execute(ctx.handle.db)
        ).rows;
      const keysBefore = await foreignKeys();
      assert.ok(keysBefore.length >= 20, `${keysBefore.length} clés étrangères`);
      const summary = await importDump(ctx.handle.db, generatedDump(2100, 11));
      assert.deepEqual(await foreignKeys(), keysBefore);
      await assert.rejects(
        sql`insert into action_keywords (action_id, keyword_code, position)
          values ((select min(id) from actions), 'pas-un-mot-cle', 99)`.execute(ctx.handle.db),
        /foreign key/,
      );
      const { rows } = await sql<{ rows: number; equal: number; published: number; words: number }>`
        select (select count(*)::int from action_search) as rows,
          (select count(*)::int from action_search s join action_search_source v using (action_id)
            where s.document = v.document and s.keyword_codes = v.keyword_codes
              and s.budget_range = v.budget_range and s.title_sort = v.title_sort) as equal,
          (select count(*)::int from actions where publication = 'published') as published,
          (select count(*)::int from search_words) as words`.execute(ctx.handle.db);
      assert.equal(summary.created, 2100);
      assert.deepEqual(rows[0], { rows: 2100, equal: 2100, published: 2100, words: rows[0].words });
      assert.ok(rows[0].words > 1000, `${rows[0].words} mots dans le lexique`);
      // The worker read the budgets: each fiche's own, as read here from its resources text.
      const budgets = await sql<{ text: string | null; total: string | null; range: string }>`
        select a.financial_resources as text, b.total::text as total, coalesce(b.range_code, 'non-chiffre') as range
        from actions a join action_budgets b on b.action_id = a.id order by a.id`.execute(ctx.handle.db);
      assert.equal(budgets.rows.length, 2100);
      const misread = budgets.rows.filter(({ text, total }) => {
        const amount = extractBudget(text).total?.amount;
        return (amount === undefined ? null : Number(amount)) !== (total === null ? null : Number(total));
      });
      assert.deepEqual(misread, []);
      assert.ok(new Set(budgets.rows.map((b) => b.range)).size >= 4, 'des budgets de plusieurs classes');

      // The first load built the search indexes again at its end; importing the same file into
      // the catalogue it made keeps them, so that the site's searches are never held up.
      const indexes = async () =>
        (
          await sql<{ name: string; oid: number }>`
            select c.relname as name, c.oid::int as oid from pg_index i join pg_class c on c.oid = i.indexrelid
            where i.indrelid = 'action_search'::regclass order by c.relname`.execute(ctx.handle.db)
        ).rows;
      const built = await indexes();
      assert.deepEqual(
        built.map((i) => i.name),
        [
          'action_search_budget_idx',
          'action_search_departement_idx',
          'action_search_document_idx',
          'action_search_pkey',
          'action_search_recent_idx',
          'action_search_structure_idx',
          'action_search_title_idx',
        ],
      );
      const again = await importDump(ctx.handle.db, generatedDump(2100, 11));
      assert.equal(again.unchanged, 2100);
      assert.deepEqual(await indexes(), built);
    });
  });
}
