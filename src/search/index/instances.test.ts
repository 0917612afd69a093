import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { generatedDump } from '../../../bench/lib/dump-file.js';
import { editFiche } from '../../../bench/lib/edit.js';
import { newSchemaName, SEED, testAppConfig } from '../../../test/helpers/databases.js';
import { setPublication } from '../../actions/actions.repository.js';
import { buildApp } from '../../app.js';
import { type DbHandle, dropSchema, openDatabase } from '../../db/connect.js';
import { migrateToLatest } from '../../db/migrate.js';
import { inTransaction } from '../../db/transaction.js';
import { importDump } from '../../legacy-dump/import.service.js';
import { seedReferenceData } from '../../vocabularies/vocabularies.service.js';
import { indexActions } from '../indexing.service.js';
import { search } from '../search.service.js';

const url = process.env.TEST_DATABASE_URL;

// Two web processes on one PostgreSQL, each with its own search index: what one writes, the
// other's next search finds, counted right. PGlite is one process's database, so PostgreSQL only.
describe('two app instances on one PostgreSQL', { skip: url ? false : 'TEST_DATABASE_URL absent' }, () => {
  const schema = newSchemaName();
  let one: DbHandle;
  let other: DbHandle;
  let apps: FastifyInstance[];

  const searchOn = async (app: FastifyInstance, query: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/actions?${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as {
      total: number;
      items: Array<{ id: number; title: string }>;
      facets: Record<string, Array<{ code: string; count: number }>>;
    };
  };
  // What PostgreSQL alone counts, as the reference.
  const plain = (q: string) =>
    search(other.db, { q }, { index: false, memo: false, facetCache: false, pageCache: false });

  before(async () => {
    one = await openDatabase({ databaseUrl: url as string, schema });
    other = await openDatabase({ databaseUrl: url as string, schema });
    await migrateToLatest(one.db);
    await seedReferenceData(one.db);
    await importDump(one.db, SEED);
    apps = [await buildApp(one.db, testAppConfig()), await buildApp(other.db, testAppConfig())];
    // Both indexes built before the writes, as in two running servers.
    for (const app of apps) assert.equal((await searchOn(app, 'q=seniors')).total, (await plain('seniors')).total);
  });
  after(async () => {
    for (const app of apps ?? []) await app.close();
    await one?.close();
    await other?.close();
    await dropSchema(url as string, schema);
  });

  it('finds in one the fiche imported through the other, with the same facet counts as PostgreSQL', async () => {
    const dump = generatedDump(1, 4242);
    const title = dump.split('\n')[2];
    const word = title;
    const before = await searchOn(apps[1], `q=${encodeURIComponent(word)}`);
    await importDump(one.db, dump);
    const after = await searchOn(apps[1], `q=${encodeURIComponent(word)}`);
    assert.equal(after.total, before.total + 1);
    assert.ok(
      after.items.some((item) => item.title === title),
      `« ${title} » est trouvée par l’autre instance`,
    );
    const reference = await plain(word);
    assert.equal(after.total, reference.total);
    for (const [facet, values] of Object.entries(reference.facets)) {
      assert.deepEqual(
        after.facets[facet].map((v) => [v.code, v.count]),
        values.map((v) => [v.code, v.count]),
        `facette ${facet}`,
      );
    }
  });

  it('sees in one an edit and a withdrawal made through the other', async () => {
    const [target] = (await searchOn(apps[0], 'q=rando')).items;
    await editFiche(one.db, target.id);
    const edited = await searchOn(apps[1], 'q=%22mise+%C3%A0+jour%22');
    assert.deepEqual(
      edited.items.map((i) => i.id),
      [target.id],
    );
    await inTransaction(other.db, async (tx) => {
      await setPublication(tx, target.id, 'archived');
      await indexActions(tx, [target.id]);
    });
    assert.equal((await searchOn(apps[0], 'q=%22mise+%C3%A0+jour%22')).total, 0);
    assert.ok(!(await searchOn(apps[0], 'q=rando')).items.some((i) => i.id === target.id));
    assert.equal((await searchOn(apps[0], '')).total, (await searchOn(apps[1], '')).total);
  });

  it('corrects in one a typo of a word that only a fiche imported through the other holds', async () => {
    const suggested = async (q: string) =>
      ((await searchOn(apps[1], `q=${encodeURIComponent(q)}`)) as unknown as { suggestion: string | null }).suggestion;
    assert.equal(await suggested('zootérapie'), null);
    await importDump(one.db, generatedDump(1, 4243).replace(/(- Résumé\n)[^\n]+/, '$1Ateliers de zoothérapie'));
    assert.equal(await suggested('zootérapie'), 'zoothérapie');
  });
});
