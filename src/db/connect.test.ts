import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testEngines } from '../../test/helpers/databases.js';
import type { DbHandle } from './connect.js';
import { PREPARED } from './prepared.js';

for (const engine of testEngines()) {
  describe(`database connection (${engine})`, () => {
    let handle: DbHandle;
    before(async () => {
      handle = await openTestDatabase(engine);
    });
    after(async () => {
      await handle.close();
    });

    it('keeps concurrent transactions apart: a failed one leaves nothing, the other commits', async () => {
      const insert = (code: string) => handle.db.insertInto('partners').values({ code, label: code }).execute();
      const failing = handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('partners').values({ code: 'tx-a', label: 'A' }).execute();
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('rollback');
      });
      const committing = handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('partners').values({ code: 'tx-b', label: 'B' }).execute();
      });
      const outside = insert('tx-c');
      await assert.rejects(failing, /rollback/);
      await committing;
      await outside;
      const codes = await handle.db.selectFrom('partners').select('code').where('code', 'like', 'tx-%').execute();
      assert.deepEqual(codes.map((r) => r.code).sort(), ['tx-b', 'tx-c']);
    });

    it('reports how many rows a write touched', async () => {
      const inserted = await handle.db
        .insertInto('partners')
        .values([
          { code: 'n-1', label: 'N1' },
          { code: 'n-2', label: 'N2' },
        ])
        .executeTakeFirst();
      assert.equal(inserted.numInsertedOrUpdatedRows, 2n);
      const updated = await handle.db
        .updateTable('partners')
        .set({ label: 'N' })
        .where('code', 'like', 'n-%')
        .executeTakeFirst();
      assert.equal(updated.numUpdatedRows, 2n);
      const deleted = await handle.db.deleteFrom('partners').where('code', 'like', 'n-%').executeTakeFirst();
      assert.equal(deleted.numDeletedRows, 2n);
    });

    it('returns the same JavaScript types on both engines', async () => {
      const row = await handle.db
        .selectFrom('partners')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('created_at').as('latest')])
        .executeTakeFirstOrThrow();
      assert.equal(typeof row.n, 'number');
      assert.ok(row.latest instanceof Date);
    });

    it('prepares a marked statement once per session, and no other', async () => {
      // Serial statements take the same idle connection of the pool, which the last one asks about.
      await handle.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i++) {
          const { rows } = await sql<{ n: number }>`${PREPARED}select ${i}::int + 1 as n`.execute(trx);
          assert.equal(rows[0].n, i + 1);
        }
        await sql`select ${1}::int as unmarked`.execute(trx);
        const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements
          where statement like '%as n' or statement like '%unmarked'`.execute(trx);
        assert.deepEqual(
          rows.map((r) => r.statement),
          ['/* essaim-prepared */ select $1::int + 1 as n'],
        );
      });
    });

    it('reports a failed marked statement as PostgreSQL does, and goes on', async () => {
      const failing = (n: number) => sql`${PREPARED}select 1 / ${n}::int as quotient`.execute(handle.db);
      await assert.rejects(failing(0), (error: Error & { code?: string }) => {
        assert.equal(error.code, '22012');
        assert.match(error.message, /division by zero/);
        return true;
      });
      const { rows } = await failing(4);
      assert.deepEqual(rows, [{ quotient: 0 }]);
      const after = await sql<{ n: number }>`select ${2}::int as n`.execute(handle.db);
      assert.equal(after.rows[0].n, 2);
    });
  });
}
