import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testEngines } from '../../test/helpers/databases.js';
import type { DbHandle } from './connect.js';
import { analyzeTables } from './maintenance.js';

describe('statistics after a bulk write', () => {
  for (const engine of testEngines()) {
    it(`are refreshed for every table of the schema (${engine})`, async () => {
      const handle = await openTestDatabase(engine);
      try {
        await sql`create table analyze_probe (n int)`.execute(handle.db);
        await sql`insert into analyze_probe select generate_series(1, 5000)`.execute(handle.db);
        await analyzeTables(handle.db);
        const { rows } = await sql<{ tuples: number }>`
          select reltuples::int as tuples from pg_class where oid = 'analyze_probe'::regclass`.execute(handle.db);
        assert.equal(rows[0].tuples, 5000);
      } finally {
        await handle.close();
      }
    });
  }
});

// Two schemas of one database, as the test files running side by side have them.
describe('statistics refreshed in a transaction (PostgreSQL)', { skip: !testEngines().includes('postgres') }, () => {
  let mine: DbHandle;
  let other: DbHandle;
  before(async () => {
    [mine, other] = await Promise.all([openTestDatabase('postgres'), openTestDatabase('postgres')]);
  });
  after(async () => {
    await Promise.all([mine.close(), other.close()]);
  });

  it('leave the tables of another schema alone until the transaction ends', async () => {
    await mine.db.transaction().execute(async (trx) => {
      await analyzeTables(trx);
      // An index built in the other schema meanwhile (as an import does) is not held up.
      await other.db.transaction().execute(async (otherTrx) => {
        await sql`set local lock_timeout = '3s'`.execute(otherTrx);
        await sql`create index action_search_probe_idx on action_search (structure_id)`.execute(otherTrx);
      });
    });
  });
});
