import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { dropSchema } from '../src/db/connect.js';
import { newSchemaName } from './helpers/databases.js';
import { essaim, fetchAsVisitor, freePort, startServer, stop, tempDir } from './helpers/processes.js';

/** True when nothing listens on the port any more. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm start on an empty data folder', () => {
  let work: { dir: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  let base: string;
  before(async () => {
    work = await tempDir('start');
    const port = await freePort();
    env = { DATA_DIR: path.join(work.dir, 'data'), PORT: String(port), HOST: '127.0.0.1' };
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await work.remove();
  });

  it('imports the 25 seed fiches, serves them, and keeps them on disk across restarts', async () => {
    let server = await startServer(env);
    try {
      const home = await fetchAsVisitor(`${base}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Le catalogue compte 25 fiches actions,/);
      const fiche = await fetchAsVisitor(`${base}/api/v1/actions/25`);
      assert.equal(fiche.status, 200);
      const body = (await fiche.json()) as { structure: { department: { name: string } } };
      assert.equal(body.structure.department.name, 'Vosges');

      // The embedded database is opened by one process only: a command run meanwhile says so.
      const locked = await essaim(['export', '--format', 'dump'], env);
      assert.equal(locked.code, 1);
      assert.match(locked.stderr, /déjà ouverte par un autre processus/);
    } finally {
      assert.equal(await stop(server), 0);
    }
    assert.match(server.output(), /Base vide\s: import des 25 fiches de démonstration/);
    assert.match(server.output(), /Essaim est arrêté\./);
    assert.equal(existsSync(path.join(work.dir, 'data', 'db.lock')), false, 'the PGlite lock is released');
    assert.equal(await portIsFree(Number(env.PORT)), true, 'the port is free');

    server = await startServer(env);
    try {
      const home = await (await fetchAsVisitor(`${base}/`)).text();
      assert.match(home, /Le catalogue compte 25 fiches actions,/);
    } finally {
      await stop(server);
    }
  });
});

describe('npm start on PostgreSQL', {
  skip: process.env.TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set',
}, () => {
  let work: { dir: string; remove: () => Promise<void> };
  let schema: string;
  before(async () => {
    work = await tempDir('start-pg');
    schema = newSchemaName();
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  });
  after(async () => {
    await dropSchema(process.env.TEST_DATABASE_URL as string, schema);
    await work.remove();
  });

  it('stops on SIGTERM: the port is free and the database closed', async () => {
    const port = await freePort();
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    url.searchParams.set('application_name', schema);
    const server = await startServer({
      DATA_DIR: path.join(work.dir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
    });
    try {
      assert.match(
        await (await fetchAsVisitor(`http://127.0.0.1:${port}/`)).text(),
        /Le catalogue compte 25 fiches actions,/,
      );
    } finally {
      assert.equal(await stop(server), 0);
    }
    assert.match(server.output(), /Essaim est arrêté\./);
    assert.equal(await portIsFree(port), true, 'the port is free');
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [
      schema,
    ]);
    await client.end();
    assert.equal(rows[0].n, 0, 'no connection of the stopped server is left');
  });
});
