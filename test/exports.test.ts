import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type FicheJson, presentFiche } from '../src/actions/actions.presenter.js';
import { listActionIds, loadFiches } from '../src/actions/actions.repository.js';
import { csvRow, guardFormula, LIST_SEPARATOR, SHEET_COLUMNS } from '../src/exports/exports.presenter.js';
import { loadReferenceIndex } from '../src/vocabularies/vocabularies.service.js';
import { openSeededApp, SEED_TEXT, testEngines } from './helpers/databases.js';

for (const engine of testEngines()) {
  describe(`exports of a search (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let stored: ReturnType<typeof presentFiche>[];

    before(async () => {
      seeded = await openSeededApp(engine);
      const { db } = seeded.handle;
      const ref = await loadReferenceIndex(db);
      stored = (await loadFiches(db, await listActionIds(db, 0, 100))).map((f) => presentFiche(f, ref));
    });
    after(() => seeded.close());

    const get = (url: string) => seeded.app.inject({ method: 'GET', url });
    const column = (header: string) => SHEET_COLUMNS.findIndex((c) => c.header === header);
    // What each checked column holds for a stored fiche, as a reader of the file expects it.
    const expected = (f: (typeof stored)[number]) => ({
      Titre: f.title,
      'Structure organisatrice': f.structure.name,
      'Mots clés': f.keywords.map((k) => k.label).join(LIST_SEPARATOR),
      Public: f.publics.map((p) => p.label).join(LIST_SEPARATOR),
      Résumé: f.summary ?? '',
      'Ressources financières mobilisées': f.financialResources ?? '',
      'Description de l’expérience': f.experience ?? '',
      'Raisons pour lesquelles l’action est terminée': f.endReason ?? '',
      'Précision (si autre)': f.initiativeDetail ?? '',
      'Description générale': f.generalDescription ?? '',
      'Nombre de personnes mobilisées': f.peopleMobilised ?? '',
      'Résultat sur le territoire': f.results.territory ?? '',
      'Résultat pour le centre social': f.results.socialCentre ?? '',
      'Résultat pour les habitants': f.results.inhabitants ?? '',
      Limites: f.followUp.limits ?? '',
      Perspectives: f.followUp.perspectives ?? '',
    });

    test('the CSV opens in a French Excel and reads back as stored, accents and line breaks included', async () => {
      const response = await get('/actions/export?format=csv');
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
      assert.match(
        String(response.headers['content-disposition']),
        /^attachment; filename="essaim-fiches-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const bytes = response.rawPayload;
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
      const rows: string[][] = parse(bytes, { bom: true, delimiter: ';', relax_column_count: false });
      assert.deepEqual(
        rows[0],
        SHEET_COLUMNS.map((c) => c.header),
      );
      const body = rows.slice(1);
      assert.equal(body.length, 25);
      const cell = (row: string[], header: string) => row[column(header)];
      for (const fiche of stored) {
        const row = body.find((r) => Number(r[0]) === fiche.id);
        assert.ok(row, `fiche ${fiche.id} exported`);
        for (const [header, value] of Object.entries(expected(fiche))) {
          // A CSV cell that starts like a formula is guarded (« @ plus sur le web » is a title).
          assert.equal(cell(row, header), value && guardFormula(value), `${header} of « ${fiche.title} »`);
        }
      }
      const retraites = body.find((r) => r[2].startsWith("l'atelier des retraités connectés"));
      assert.ok(retraites?.[column('Ressources financières mobilisées')].startsWith('- CHARGES :\n- collations'));
      assert.equal(retraites?.[column('Budget (€)')], '5647');
    });

    test('a cell Excel would run as a formula is guarded; a bullet or a plain number is not', () => {
      const [fiche] = stored;
      const summary = (text: string) => csvRow({ ...fiche, summary: text }, '')[column('Résumé')];
      const guarded = [
        '=HYPERLINK("https://exemple.test";"clic")',
        "-2+3+cmd|' /C calc'!A0",
        '-2+3',
        "+cmd|' /C calc'!A0",
        '@SUM(A1:A9)',
        '@ plus sur le web',
        '\t=1+1',
        '\r=1+1',
        '-=1+1',
      ];
      for (const text of guarded) assert.equal(summary(text), `'${text}`, JSON.stringify(text));
      for (const text of ['- CHARGES :\n- salle (2 jours) : 200 €', '-12', '+33', '12,5', 'Atelier = rencontre']) {
        assert.equal(summary(text), text, JSON.stringify(text));
      }
    });

    test('the XLSX opens with a spreadsheet reader and matches the stored fiches', async () => {
      const response = await get('/api/v1/actions/export?format=xlsx');
      assert.equal(response.statusCode, 200);
      assert.equal(
        response.headers['content-type'],
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Fiches actions');
      assert.ok(sheet);
      assert.equal(sheet.rowCount, 26);
      const text = (row: ExcelJS.Row, header: string) => {
        const value = row.getCell(column(header) + 1).value;
        if (value !== null && typeof value === 'object' && 'richText' in value) {
          return value.richText.map((t) => t.text).join('');
        }
        return value === null || value === undefined ? '' : String(value);
      };
      for (const fiche of stored) {
        let found: ExcelJS.Row | undefined;
        sheet.eachRow((row) => {
          if (row.getCell(1).value === fiche.id) found = row;
        });
        assert.ok(found, `fiche ${fiche.id} in the workbook`);
        for (const [header, value] of Object.entries(expected(fiche))) {
          assert.equal(text(found, header), value, `${header} of « ${fiche.title} »`);
        }
        assert.equal(found.getCell(column('Budget (€)') + 1).value, fiche.budget.total?.amount ?? null);
      }
    });

    test('the dump export of the seed is the seed, byte for byte', async () => {
      const response = await get('/api/v1/actions/export?format=dump');
      assert.equal(response.statusCode, 200);
      assert.equal(response.body, SEED_TEXT);
    });

    test('JSON, NDJSON and CSV of a filtered search hold exactly the fiches the search finds', async () => {
      const filters = 'keyword=vieillissement&dimension=services';
      const found = (await get(`/api/v1/actions?${filters}&perPage=100`)).json();
      assert.ok(found.total > 0 && found.total < 25, `a narrowing search (${found.total})`);
      const ids = found.items.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b);
      const json = (await get(`/api/v1/actions/export?format=json&${filters}`)).json();
      assert.deepEqual(
        json.fiches.map((f: { id: number }) => f.id),
        ids,
      );
      const ndjson = (await get(`/api/v1/actions/export?format=ndjson&${filters}`)).body.trim().split('\n');
      assert.deepEqual(
        ndjson.map((line) => JSON.parse(line).id),
        ids,
      );
      const csv: string[][] = parse((await get(`/actions/export?format=csv&${filters}`)).rawPayload, {
        bom: true,
        delimiter: ';',
        from_line: 2,
      });
      assert.deepEqual(
        csv.map((r) => Number(r[0])),
        ids,
      );
    });

    test('names each file after what it holds, and states the licence of the data', async () => {
      const day = new Date().toISOString().slice(0, 10);
      const lot = await get('/actions/export?format=csv&department=46');
      assert.equal(lot.headers['content-disposition'], `attachment; filename="essaim-fiches-lot-${day}.csv"`);
      assert.equal(lot.headers.link, '<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel="license"');
      const words = await get('/api/v1/actions/export?format=xlsx&q=Numérique%20seniors&keyword=vieillissement');
      assert.equal(
        words.headers['content-disposition'],
        `attachment; filename="essaim-fiches-numerique-seniors-vieillissement-${day}.xlsx"`,
      );
      const all = await get('/api/v1/actions/export?format=dump');
      assert.equal(all.headers['content-disposition'], `attachment; filename="essaim-fiches-${day}.txt"`);
      const json = (await get('/api/v1/actions/export?format=json&department=46')).json();
      assert.deepEqual(Object.keys(json), ['source', 'url', 'licence', 'exportedAt', 'fiches']);
      assert.equal(json.url, `${seeded.config.publicUrl}/actions?department=46`);
      assert.deepEqual(json.licence, {
        name: 'Licence Ouverte 2.0 (Etalab)',
        url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
      });
      assert.ok(json.fiches.length > 0 && json.fiches.every((f: FicheJson) => f.structure.department.code === '46'));
      // The pages offer the formats a reader opens, under names a reader understands.
      const page = (await get('/actions?department=46')).body;
      const offered = [...page.matchAll(/href="\/actions\/export\?[^"]*format=(\w+)" download="">([^<]+)</g)];
      assert.deepEqual(
        offered.map(([, format, label]) => `${format}: ${label}`),
        ['csv: Tableur CSV', 'xlsx: Tableur Excel (XLSX)', 'json: Données JSON', 'dump: Format SENACS (texte)'],
      );
    });

    test('a wrong filter or format is refused before any file is sent', async () => {
      const unknown = await get('/api/v1/actions/export?format=csv&keyword=inconnu');
      assert.equal(unknown.statusCode, 400);
      assert.equal(
        unknown.json().message.replace(/\u00a0/g, ' '),
        'Paramètre « keyword » invalide : le code « inconnu » n’existe pas.',
      );
      const format = await get('/api/v1/actions/export?format=pdf');
      assert.equal(format.statusCode, 400);
      assert.equal((await get('/actions/export?format=xml')).statusCode, 400);
    });
  });
}
