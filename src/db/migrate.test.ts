import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { newSchemaName } from '../../test/helpers/databases.js';
import { dropSchema, openDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

const url = process.env.TEST_DATABASE_URL;

describe('migrations on PostgreSQL beside other schemas', { skip: url ? false : 'PostgreSQL only' }, () => {
  it('migrates a new schema while another schema of the database holds its own migration tables', async () => {
    const other = newSchemaName();
    const ours = newSchemaName();
    const first = await openDatabase({ databaseUrl: url, schema: other });
    const second = await openDatabase({ databaseUrl: url, schema: ours });
    try {
      await migrateToLatest(first.db);
      const applied = await migrateToLatest(second.db);
      assert.ok((applied.results ?? []).length >= 11, 'toutes les migrations appliquées au nouveau schéma');
      const { rows } = await sql<{ schema: string }>`
        select table_schema as schema from information_schema.tables
        where table_name = 'kysely_migration' and table_schema in (${other}, ${ours}) order by 1`.execute(second.db);
      assert.deepEqual(rows.map((r) => r.schema).sort(), [other, ours].sort());
    } finally {
      await first.close();
      await second.close();
      await dropSchema(url as string, other);
      await dropSchema(url as string, ours);
    }
  });
});
