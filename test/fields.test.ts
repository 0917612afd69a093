import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { inviteUser } from '../src/accounts/roles.service.js';
import { loadFiches } from '../src/actions/actions.repository.js';
import { CONTENT_FIELDS, emptyValue, FIELD_LIST, type FieldDef, jsonPlace, shortLabel } from '../src/actions/fields.js';
import { frenchSpacing } from '../src/core/typography.js';
import { SHEET_COLUMNS } from '../src/exports/exports.presenter.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { createMailer } from '../src/mail/mailer.js';
import { PARTNER_INPUTS } from '../src/publishing/fiche-form.js';
import { loadReferenceIndex } from '../src/vocabularies/vocabularies.service.js';
import { Agent, acceptInvitation } from './helpers/agent.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { readPdf } from './helpers/files.js';
import { cellText, openInLibreOffice } from './helpers/office.js';

// A word of its own in each free text, so that each can be found wherever the fiche goes.
const word = (def: FieldDef) => `zqx${def.key.toLowerCase()}`;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;');

for (const engine of testEngines()) {
  describe(`every field of the registry reaches every output (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let id: number;
    let form: Record<string, string | string[]>;
    let editor: Agent;

    before(async () => {
      seeded = await openSeededApp(engine);
      const { db } = seeded.handle;
      const ref = await loadReferenceIndex(db);
      const structure = await db
        .selectFrom('structures')
        .select(['id', 'departement_code'])
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const mailer = createMailer(seeded.config, { info: () => {} });
      await inviteUser(db, mailer, seeded.config.publicUrl, null, { email: 'r@c.test', structureIds: [structure.id] });
      await inviteUser(db, mailer, seeded.config.publicUrl, null, {
        email: 'l@c.test',
        departementCodes: [structure.departement_code],
      });
      editor = await acceptInvitation(seeded.app, seeded.config.dataDir, 'r@c.test', 'Rédactrice');
      const reviewer = await acceptInvitation(seeded.app, seeded.config.dataDir, 'l@c.test', 'Relecteur');
      // Every field filled, with the values that the fields shown on a condition need.
      const wanted = Object.fromEntries(
        CONTENT_FIELDS.flatMap((d) => (d.showIf ? [[d.showIf.field, d.showIf.value]] : [])),
      );
      const codes = (def: FieldDef, n: number) => {
        const all = [...ref.terms[def.vocabulary ?? 'partners'].keys()];
        return [...new Set([wanted[def.key], ...all].filter(Boolean))].slice(0, n) as string[];
      };
      form = { version: '0', intent: 'submit', structure: String(structure.id) };
      for (const def of CONTENT_FIELDS) {
        if (def.kind === 'title') form[def.key] = 'Une fiche où tous les champs sont remplis';
        else if (def.kind === 'text' || def.kind === 'line') form[def.key] = `Texte ${word(def)}.`;
        else if (def.kind === 'month') form[def.key] = '09/2024';
        else if (def.kind === 'term') form[def.key] = codes(def, 1)[0];
        else if (def.kind === 'terms') form[def.key] = codes(def, 2);
        else for (const [n, name] of Object.values(PARTNER_INPUTS).entries()) form[name] = codes(def, 2)[n];
      }
      await editor.get('/espace/fiches/nouvelle');
      const created = await editor.post('/espace/fiches', form);
      assert.equal(created.statusCode, 303, created.body);
      id = Number(/\/espace\/fiches\/(\d+)/.exec(String(created.headers.location))?.[1]);
      await reviewer.get(`/espace/fiches/${id}`);
      assert.equal((await reviewer.post(`/espace/fiches/${id}/publier`, {})).statusCode, 303);
    });
    after(() => seeded.close());

    const reader = () => new Agent(seeded.app);
    const contentFields = CONTENT_FIELDS.filter((d) => d.kind !== 'title');

    test('the editor has an input for every field, filled with what was published', async () => {
      const page = (await editor.get(`/espace/fiches/${id}/modifier`)).body;
      // The structure is chosen once, when the fiche is created.
      for (const [name, value] of Object.entries(form).filter(
        ([n]) => !['intent', 'version', 'structure'].includes(n),
      )) {
        assert.ok(page.includes(`name="${name}"`), `editor: ${name}`);
        assert.ok(
          [value].flat().every((v) => page.includes(escapeHtml(v)) || v === '09/2024'),
          `editor: ${name}`,
        );
      }
      if (CONTENT_FIELDS.some((d) => d.kind === 'month'))
        assert.match(page, /type="month"[^>]*value="2024-09"|value="2024-09"[^>]*type="month"/);
    });

    test('the JSON of the API gives every field, and its page and PDF show each one under its heading', async () => {
      const json = (await reader().get(`/api/v1/actions/${id}`)).json();
      const page = (await reader().get(json.url)).body;
      const pdf = (await readPdf((await reader().get(`${json.url}.pdf`)).rawPayload)).text;
      for (const def of CONTENT_FIELDS) {
        const { group, key } = jsonPlace(def);
        const value = group === null ? json[key] : json[group][key];
        assert.ok(value !== null && value.length !== 0, `JSON: ${def.key}`);
      }
      for (const def of contentFields) {
        assert.ok(page.includes(escapeHtml(frenchSpacing(def.label))), `page: ${def.label}`);
        // The heading up to its first sign, before which French puts a non-breaking space.
        const start = def.label.split(/[’?:]/)[0].trim();
        assert.ok(pdf.includes(start), `PDF: ${start}`);
      }
      for (const def of contentFields) {
        const shown = def.kind === 'month' ? 'septembre 2024' : def.kind.startsWith('term') ? null : word(def);
        if (shown && def.kind !== 'partners' && def.kind !== 'attachments') {
          assert.ok(page.includes(shown), `page: the value of ${def.key}`);
          assert.ok(pdf.includes(shown), `PDF: the value of ${def.key}`);
        }
      }
    });

    test('the CSV and the XLSX, read by LibreOffice, have every field’s column filled', async () => {
      const headers = FIELD_LIST.flatMap((def) =>
        SHEET_COLUMNS.filter((c) => c.header === (def.sheet?.header ?? shortLabel(def))),
      );
      assert.ok(headers.length >= FIELD_LIST.length - 1, 'a column per field (the partners have two)');
      for (const format of ['csv', 'xlsx'] as const) {
        const file = (await reader().get(`/actions/export?format=${format}&q=${'zqxsummary'}`)).rawPayload;
        const [head, row, ...rest] = await openInLibreOffice(file, format);
        assert.equal(rest.length, 0, `${format}: the one fiche`);
        for (const def of FIELD_LIST) {
          const header = def.kind === 'partners' ? 'Partenaires d’action' : (def.sheet?.header ?? shortLabel(def));
          const column = head.findIndex((c) => cellText(c) === header);
          if (def.kind === 'attachments') continue; // Files are joined after publication.
          assert.ok(column >= 0 && cellText(row[column]) !== '', `${format}: ${header}`);
        }
      }
    });

    test('the history names every field; the dump has exactly the fields the source has', async () => {
      const history = await sql<{ changes: Record<string, unknown> }>`
        select changes from action_history where action_id = ${id} and operation = 'create'`.execute(seeded.handle.db);
      for (const def of CONTENT_FIELDS) assert.ok(def.key in history.rows[0].changes, `history: ${def.key}`);
      const dump = (await reader().get(`/actions/export?format=dump&q=${'zqxsummary'}`)).body;
      for (const def of FIELD_LIST) {
        if (def.dump) assert.ok(dump.includes(`- ${def.dump.label}\n`), `dump: ${def.dump.label}`);
        if (def.kind !== 'title' && !def.dump)
          assert.ok(!dump.includes(String(form[def.key])), `not in the dump: ${def.key}`);
      }
    });

    test('a re-import of the fiche’s dump keeps the fields the dump does not have, and changes nothing', async () => {
      const { db } = seeded.handle;
      const dump = (await reader().get(`/actions/export?format=dump&q=${'zqxsummary'}`)).body;
      const summary = await importDump(db, dump);
      assert.deepEqual([summary.unchanged, summary.updated, summary.created], [1, 0, 0]);
      const [fiche] = await loadFiches(db, [id]);
      for (const def of CONTENT_FIELDS.filter((d) => !d.dump && d.kind !== 'attachments')) {
        assert.notDeepEqual(fiche[def.key as keyof typeof fiche], emptyValue(def), `kept: ${def.key}`);
      }
    });

    test('the search document weighs each field’s words as the registry says', async () => {
      const { rows } = await sql<{
        document: string;
      }>`select document::text from action_search where action_id = ${id}`.execute(seeded.handle.db);
      for (const def of CONTENT_FIELDS.filter((d) => d.kind === 'text' || d.kind === 'line')) {
        const { rows: lexemes } = await sql<{
          l: string;
        }>`select unnest(tsvector_to_array(to_tsvector('french_unaccent', ${word(def)}))) as l`.execute(
          seeded.handle.db,
        );
        const found = new RegExp(`'${lexemes[0].l}':[\\d,]+([A-C]?)`).exec(rows[0].document);
        if (!def.search) assert.equal(found, null, `not searched: ${def.key}`);
        else assert.equal(found?.[1] || 'D', def.search, `weight of ${def.key}`);
      }
    });
  });
}
