import assert from 'node:assert/strict';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Schema, Table } from 'tableschema';
import { buildOpenData, openDataDir } from '../src/opendata/opendata.service.js';
import { OPEN_DATA_FILES } from '../src/opendata/table-schema.js';
import { Agent } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { tempDir } from './helpers/processes.js';

for (const engine of testEngines()) {
  describe(`open data: the catalogue's files with their Table Schema (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let reader: Agent;
    const site = () => ({ publicUrl: seeded.config.publicUrl, licence: seeded.config.site.licence });

    before(async () => {
      seeded = await openSeededApp(engine);
      reader = new Agent(seeded.app);
    });
    after(() => seeded?.close());

    test('before the first build the page says who prepares the files, and no file is served', async () => {
      const page = await reader.get('/donnees-ouvertes');
      assert.equal(page.statusCode, 200);
      assert.match(page.body.replaceAll('\u00a0', ' '), /Les fichiers n’ont pas encore été préparés : l’exploitant/);
      assert.ok(
        (await reader.get('/')).body.includes('<a href="/donnees-ouvertes">Données ouvertes</a>'),
        'in the footer',
      );
      assert.equal((await reader.get(`/donnees-ouvertes/${OPEN_DATA_FILES.csv}`)).statusCode, 404);
      assert.equal((await reader.get('/donnees-ouvertes/..%2Fsecrets')).statusCode, 404);
    });

    test('a build writes every file, the page lists them with their sizes, and the CSV is the export', async () => {
      const built = await buildOpenData(seeded.handle.db, seeded.config.dataDir, site());
      assert.equal(built.fiches, 25);
      assert.deepEqual(built.files.map((f) => f.name).sort(), Object.values(OPEN_DATA_FILES).sort());
      assert.ok(built.files.every((f) => f.size > 0));
      assert.ok((await lstat(openDataDir(seeded.config.dataDir))).isSymbolicLink());
      const page = (await reader.get('/donnees-ouvertes')).body;
      for (const file of built.files) assert.ok(page.includes(`<a href="/donnees-ouvertes/${file.name}">`), file.name);
      assert.match(page, /Fichiers préparés le \d+ \S+ \d{4}/);
      const csv = await reader.get(`/donnees-ouvertes/${OPEN_DATA_FILES.csv}`);
      assert.equal(csv.headers['content-disposition'], `attachment; filename="${OPEN_DATA_FILES.csv}"`);
      assert.match(String(csv.headers.link), /rel="license"/);
      const exported = await reader.get('/actions/export?format=csv');
      assert.ok(csv.rawPayload.equals(exported.rawPayload), 'the file is the export of the whole catalogue');
      const dump = await reader.get(`/donnees-ouvertes/${OPEN_DATA_FILES.dump}`);
      assert.ok(dump.rawPayload.equals((await reader.get('/api/v1/actions/export?format=dump')).rawPayload));
    });

    test('the Table Schema is valid, and the CSV export and its example validate against it (tableschema, frictionless)', async () => {
      const descriptor = JSON.parse((await reader.get(`/donnees-ouvertes/${OPEN_DATA_FILES.schema}`)).body);
      const schema = await Schema.load(descriptor, { strict: true });
      assert.ok(schema.valid, JSON.stringify(schema.errors));
      const status = descriptor.fields.find((f: { name: string }) => f.name === 'Statut de l’action');
      assert.deepEqual(status.constraints.enum, ['En cours', 'Terminée']);
      const work = await tempDir('essaim-opendata-');
      try {
        for (const [name, rows] of [
          [OPEN_DATA_FILES.csv, 25],
          [OPEN_DATA_FILES.example, 5],
        ] as const) {
          // The BOM is for Excel; the data package says so (utf-8-sig), the JavaScript reader does not read it.
          const file = path.join(work.dir, name);
          await writeFile(file, (await reader.get(`/donnees-ouvertes/${name}`)).body.replace(/^\uFEFF/, ''));
          const table = await Table.load(file, { schema: descriptor, delimiter: ';' });
          const read = await table.read({ forceCast: true });
          const errors = read
            .filter((row: unknown) => row instanceof Error)
            .map((e: Error & { rowNumber?: number }) => `${e.rowNumber}: ${e.message}`);
          assert.deepEqual(errors, [], name);
          assert.equal(read.length, rows, name);
        }
      } finally {
        await work.remove();
      }
      const pack = JSON.parse((await reader.get(`/donnees-ouvertes/${OPEN_DATA_FILES.datapackage}`)).body);
      assert.deepEqual(pack.resources[0].dialect.delimiter, ';');
      assert.equal(pack.resources[0].schema, OPEN_DATA_FILES.schema);
    });

    test('a second build replaces the first whole and leaves no old build behind', async () => {
      const builds = path.join(seeded.config.dataDir, 'opendata-builds');
      const first = await readdir(builds);
      const again = await buildOpenData(seeded.handle.db, seeded.config.dataDir, site());
      const second = await readdir(builds);
      assert.equal(second.length, 1);
      assert.notDeepEqual(second, first);
      const manifest = JSON.parse(
        await readFile(path.join(openDataDir(seeded.config.dataDir), 'manifest.json'), 'utf8'),
      );
      assert.equal(manifest.builtAt, again.builtAt);
    });
  });
}
