import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testEngines } from '../../test/helpers/databases.js';
import { type DbHandle, openDatabase } from './connect.js';
import { copyRows } from './copy.js';

// Text an import really meets: tabs and line breaks inside a field, backslashes, quotes and
// braces in array items, accents and the source's typographic characters.
const AWKWARD = 'Ligne 1\tcolonne\nLigne 2\r\nchemin C:\\Données\\ « café » l’été \\N';
const ITEMS = ['a "b"', 'c\\d', '{e,f}', 'g h', ''];

async function roundTrip(handle: DbHandle) {
  await sql`create table copy_probe (id int, body text, items text[], data jsonb, at timestamptz, ok boolean)`.execute(
    handle.db,
  );
  const at = new Date('2026-03-01T10:20:30.456Z');
  await handle.db.transaction().execute(async (trx) => {
    await copyRows(
      trx,
      'copy_probe',
      ['id', 'body', 'items', 'data', 'at', 'ok'],
      [
        [1, AWKWARD, ITEMS, { mot: 'très\t« bien »', n: 2 }, at, true],
        [2, null, [], null, null, false],
      ],
    );
  });
  const rows = await sql<{
    id: number;
    body: string | null;
    items: string[];
    data: unknown;
    at: Date | null;
    ok: boolean;
  }>`
    select * from copy_probe order by id`.execute(handle.db);
  assert.deepEqual(rows.rows[0].body, AWKWARD);
  assert.deepEqual(rows.rows[0].items, ITEMS);
  assert.deepEqual(rows.rows[0].data, { mot: 'très\t« bien »', n: 2 });
  assert.equal(new Date(rows.rows[0].at as Date).toISOString(), at.toISOString());
  assert.equal(rows.rows[0].ok, true);
  assert.deepEqual(
    { body: rows.rows[1].body, items: rows.rows[1].items, data: rows.rows[1].data, at: rows.rows[1].at },
    { body: null, items: [], data: null, at: null },
  );
  // A COPY is part of the transaction: one that fails leaves none of its rows.
  await assert.rejects(
    handle.db.transaction().execute(async (trx) => {
      await copyRows(trx, 'copy_probe', ['id', 'body'], [[3, 'gone']]);
      throw new Error('rollback');
    }),
    /rollback/,
  );
  const ids = await sql<{ id: number }>`select id from copy_probe order by id`.execute(handle.db);
  assert.deepEqual(
    ids.rows.map((r) => r.id),
    [1, 2],
  );
}

// Amounts as the budgets give them (text from PostgreSQL, a number from a computation), with
// the decimals the column rounds to and the digits around numeric's base of 10 000.
const AMOUNTS: Array<[string | number, string]> = [
  ['1234.50', '1234.50'],
  ['0.05', '0.05'],
  ['-12', '-12.00'],
  ['100000000000.25', '100000000000.25'],
  ['0', '0.00'],
  [1234.5, '1234.50'],
  ['10000', '10000.00'],
  ['0.125', '0.13'],
];

// The binary format, written by our encoder and read by the database's own receive functions.
async function binaryRoundTrip(handle: DbHandle) {
  await sql`create table copy_binary_probe (id int, body text, items text[], at timestamptz, amount numeric(14,2),
    document tsvector)`.execute(handle.db);
  const at = new Date('2026-03-01T10:20:30.456Z');
  const { rows: sent } = await sql<{ document: Uint8Array }>`
    select tsvectorsend(to_tsvector('french', 'Les jardins partagés du quartier')) as document`.execute(handle.db);
  await handle.db
    .transaction()
    .execute((trx) =>
      copyRows(
        trx,
        'copy_binary_probe',
        ['id', 'body', 'items', 'at', 'amount', 'document'],
        [
          [1, AWKWARD, ITEMS, at, AMOUNTS[0][0], sent[0].document],
          [2, null, [], null, null, null],
          ...AMOUNTS.slice(1).map(([amount], i) => [3 + i, '', ['x'], at, amount, null]),
        ],
      ),
    );
  const { rows } = await sql<{
    id: number;
    body: string | null;
    items: string[];
    at: Date | null;
    amount: string | null;
    document: string | null;
    same: boolean | null;
  }>`
    select id, body, items, at, amount::text as amount, document::text as document,
      document = to_tsvector('french', 'Les jardins partagés du quartier') as same
    from copy_binary_probe order by id`.execute(handle.db);
  assert.deepEqual(
    { body: rows[0].body, items: rows[0].items, at: new Date(rows[0].at as Date).toISOString(), same: rows[0].same },
    { body: AWKWARD, items: ITEMS, at: at.toISOString(), same: true },
  );
  assert.deepEqual(
    { body: rows[1].body, items: rows[1].items, at: rows[1].at, amount: rows[1].amount, document: rows[1].document },
    { body: null, items: [], at: null, amount: null, document: null },
  );
  assert.deepEqual(
    rows.filter((r) => r.id !== 2).map((r) => r.amount),
    AMOUNTS.map(([, stored]) => stored),
  );
}

for (const engine of testEngines()) {
  describe(`COPY into a table (${engine})`, () => {
    let handle: DbHandle;
    before(async () => {
      handle = await openTestDatabase(engine);
    });
    after(async () => {
      await handle.close();
    });

    it('writes every value as it was given, inside the caller’s transaction', async () => {
      await roundTrip(handle);
    });

    it('writes COPY’s binary format as the database reads it: text, arrays, dates, amounts, documents', async () => {
      await binaryRoundTrip(handle);
    });

    it('reports a bad row as the database’s error, and the connection goes on working', async () => {
      await assert.rejects(
        handle.db.transaction().execute((trx) => copyRows(trx, 'partners', ['code', 'label'], [['only-code', null]])),
        /null value|not-null|violates/,
      );
      const row = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      assert.equal(row.rows[0].one, 1);
    });
  });
}

describe('COPY into a table (PGlite in its worker thread)', () => {
  let dir: string;
  let handle: DbHandle;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'essaim-copy-'));
    handle = await openDatabase({ pgliteDir: path.join(dir, 'db'), worker: true });
  });
  after(async () => {
    await handle.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hands the rows to the worker and writes them as given', async () => {
    await roundTrip(handle);
    await binaryRoundTrip(handle);
  });
});
