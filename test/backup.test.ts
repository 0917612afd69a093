import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { type DbHandle, dropSchema, openDatabase } from '../src/db/connect.js';
import type { Database } from '../src/db/database.js';
import { newSchemaName, SEED_PATH, testEngines } from './helpers/databases.js';
import { essaim, tempDir } from './helpers/processes.js';
import { missing } from './helpers/tools.js';

const plain = (text: string) => text.replaceAll('\u00a0', ' ');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20_000)]);

/** Every row of every table of the connection's schema, each table's rows sorted. */
async function everyTable(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(db);
  const all: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql`select * from ${sql.table(name)}`.execute(db);
    all[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return all;
}

async function withHandle<T>(open: () => Promise<DbHandle>, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const handle = await open();
  try {
    return await read(handle.db);
  } finally {
    await handle.close();
  }
}

/** Puts an attachment's bytes and an operator's text in a data folder, as the app would keep them. */
async function addFiles(dataDir: string): Promise<void> {
  await mkdir(path.join(dataDir, 'files', 'ab'), { recursive: true });
  await writeFile(path.join(dataDir, 'files', 'ab', 'programme.pdf'), PDF);
  await mkdir(path.join(dataDir, 'pages'), { recursive: true });
  await writeFile(path.join(dataDir, 'pages', 'contact.md'), '# Nous écrire\n\nÀ l’accueil du centre.\n');
}

async function sameFiles(from: string, to: string): Promise<void> {
  assert.deepEqual(await readFile(path.join(to, 'files', 'ab', 'programme.pdf')), PDF);
  assert.equal(
    await readFile(path.join(to, 'pages', 'contact.md'), 'utf8'),
    await readFile(path.join(from, 'pages', 'contact.md'), 'utf8'),
  );
}

for (const engine of testEngines()) {
  const skip = engine === 'postgres' && missing('pgdump');
  describe(`essaim backup, then essaim restore (${engine})`, { skip }, () => {
    let work: { dir: string; remove: () => Promise<void> };
    const schema = newSchemaName();
    const restoredDb = `essaim_restore_${randomBytes(4).toString('hex')}`;
    const url = process.env.TEST_DATABASE_URL as string;
    const inSchema = (base: string) => {
      const u = new URL(base);
      u.searchParams.set('options', `-c search_path=${schema},public`);
      return u.toString();
    };
    const restoredUrl = () => {
      const u = new URL(url);
      u.pathname = `/${restoredDb}`;
      return u.toString();
    };

    before(async () => {
      work = await tempDir('backup');
    });
    after(async () => {
      if (engine === 'postgres') {
        await dropSchema(url, schema);
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`drop database if exists ${restoredDb}`);
        await admin.end();
      }
      await work.remove();
    });

    test('gives back identical tables and files, and refuses a damaged backup or a used target', async () => {
      const source = path.join(work.dir, 'source');
      const target = path.join(work.dir, 'target');
      const saved = path.join(work.dir, 'sauvegarde');
      const sourceEnv = { DATA_DIR: source, DATABASE_URL: engine === 'postgres' ? inSchema(url) : '' };
      const targetEnv = { DATA_DIR: target, DATABASE_URL: engine === 'postgres' ? restoredUrl() : '' };
      if (engine === 'postgres') {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`create schema ${schema}`);
        await admin.query(`create database ${restoredDb}`);
        await admin.end();
      }
      const imported = await essaim(['import', SEED_PATH], sourceEnv);
      assert.equal(imported.code, 0, imported.stderr);
      await addFiles(source);

      const made = await essaim(['backup', '--out', saved], sourceEnv);
      assert.equal(made.code, 0, made.stderr);
      assert.match(plain(made.stdout), /^Sauvegarde faite dans .* : \d+ fichiers \(.+\)\.\n$/);
      const restored = await essaim(['restore', saved], targetEnv);
      assert.equal(restored.code, 0, restored.stderr);
      assert.match(plain(restored.stdout), /restaurée : \d+ fichiers vérifiés\./);

      // PostgreSQL: the restored schema, read in the new database; PGlite: each data folder.
      const open = (dataDir: string, databaseUrl: string) => () =>
        engine === 'postgres'
          ? openDatabase({ databaseUrl: inSchema(databaseUrl) })
          : openDatabase({ pgliteDir: path.join(dataDir, 'db') });
      const before = await withHandle(open(source, url), everyTable);
      const afterRestore = await withHandle(open(target, restoredUrl()), everyTable);
      assert.ok((before.actions ?? []).length === 25, 'the seed is there');
      assert.deepEqual(Object.keys(afterRestore), Object.keys(before));
      for (const table of Object.keys(before)) assert.deepEqual(afterRestore[table], before[table], table);
      await sameFiles(source, target);

      const again = await essaim(['restore', saved], targetEnv);
      assert.equal(again.code, 1);
      assert.match(plain(again.stderr), /n’est pas vide/);
      await appendFile(path.join(saved, 'files', 'ab', 'programme.pdf'), 'x');
      const damaged = await essaim(['restore', saved], {
        DATA_DIR: path.join(work.dir, 'ailleurs'),
        DATABASE_URL: targetEnv.DATABASE_URL,
      });
      assert.equal(damaged.code, 1);
      assert.match(
        plain(damaged.stderr),
        /La sauvegarde est abîmée : files\/ab\/programme\.pdf ne correspond plus à son empreinte\./,
      );
    });
  });
}
