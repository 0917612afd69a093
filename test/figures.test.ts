import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Agent } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { ficheOfDepartement, invitedPerson, structureOfDepartement } from './helpers/people.js';

const READER_IP = '203.0.113.77';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const VIEWS = 1000;
// The figures print numbers the French way: 1 000 with a narrow no-break space.
const fr = (n: number) => n.toLocaleString('fr-FR');

/** Sends `count` requests through a real socket, `parallel` at a time. */
async function hammer(base: string, path: string, count: number, init: RequestInit, parallel = 20): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        next++;
        const response = await fetch(`${base}${path}`, init);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    }),
  );
  return statuses;
}

for (const engine of testEngines()) {
  describe(`authors' figures (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let base: string;
    let fiche: { id: number; url: string; title: string };
    let editor: Agent;
    let stranger: Agent;

    before(async () => {
      seeded = await openSeededApp(engine, { TRUST_PROXY: 'true' });
      await seeded.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(seeded.app.server.address() as AddressInfo).port}`;
      fiche = await ficheOfDepartement(seeded, '59');
      const centre = await seeded.handle.db
        .selectFrom('actions')
        .select('structure_id')
        .where('id', '=', fiche.id)
        .executeTakeFirstOrThrow();
      editor = await invitedPerson(seeded, 'animateur@nord.test', 'Animateur du Nord', {
        structureIds: [centre.structure_id],
      });
      const elsewhere = await structureOfDepartement(seeded, '46');
      stranger = await invitedPerson(seeded, 'animatrice@lot.test', 'Animatrice du Lot', {
        structureIds: [elsewhere.id],
      });
    });
    after(() => seeded?.close());

    test(`${VIEWS} page views through HTTP are ${fr(VIEWS)} views on « Mes statistiques »; robots, HEAD and favourites counted apart`, async () => {
      const reader = { 'user-agent': FIREFOX, 'x-forwarded-for': READER_IP };
      const views = await hammer(base, fiche.url, VIEWS, { headers: reader });
      assert.deepEqual(new Set(views), new Set([200]));
      await hammer(base, fiche.url, 30, { headers: { 'user-agent': GOOGLEBOT, 'x-forwarded-for': READER_IP } });
      await hammer(base, fiche.url, 10, { method: 'HEAD', headers: reader });
      await hammer(base, fiche.url, 5, { headers: { ...reader, 'sec-purpose': 'prefetch' } });
      const pdf = await hammer(base, `${fiche.url}.pdf`, 3, { headers: reader });
      assert.deepEqual(pdf, [200, 200, 200]);
      await editor.get(fiche.url);
      for (let i = 0; i < 2; i++) assert.equal((await editor.post(`/favoris/${fiche.id}`, {})).statusCode, 303);
      await seeded.app.figures.flush();

      const page = (await editor.get('/espace/statistiques')).body;
      const row = new RegExp(
        `${fiche.title.replaceAll("'", '&#39;').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</a>.*?</td>` +
          `<td class="number" data-label="Lectures">${fr(VIEWS)}</td>` +
          '<td class="number" data-label="PDF">3</td><td class="number" data-label="Favoris">1</td>',
        's',
      );
      assert.match(page, row);
      const one = (await editor.get(`/espace/statistiques?fiche=${fiche.id}`)).body;
      assert.match(one, new RegExp(`<td class="number">${fr(VIEWS)}</td><td class="number">3</td>`));
      assert.ok(!(await editor.get(fiche.url)).body.includes('Lectures'), 'the public page says nothing of them');
    });

    test('no IP address, user agent or identifier of a reader is stored anywhere', async () => {
      const db = seeded.handle.db;
      const { rows: tables } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
      assert.ok(tables.some((t) => t.name === 'fiche_figures'));
      for (const { name } of tables) {
        const { rows } = await sql`select * from ${sql.table(name)}`.execute(db);
        const text = JSON.stringify(rows);
        for (const trace of [READER_IP, 'Firefox', 'Gecko', 'Googlebot']) {
          assert.ok(!text.includes(trace), `${trace} in ${name}`);
        }
      }
      const { rows: columns } = await sql<{ column_name: string }>`
        select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = 'fiche_figures'`.execute(db);
      assert.deepEqual(columns.map((c) => c.column_name).sort(), [
        'action_id',
        'alert_listings',
        'downloads',
        'favourites',
        'month',
        'views',
      ]);
    });

    test('the figures are for the structure’s editors and reviewers only', async () => {
      assert.equal((await stranger.get(`/espace/statistiques?fiche=${fiche.id}`)).statusCode, 403);
      assert.ok(!(await stranger.get('/espace/statistiques')).body.includes(fiche.title.replaceAll("'", '&#39;')));
      const reviewer = await invitedPerson(seeded, 'relecture@nord.test', 'Relectrice du Nord', {
        departementCodes: ['59'],
      });
      assert.match((await reviewer.get('/espace/statistiques')).body, new RegExp(`>${fr(VIEWS)}<`));
    });
  });
}
