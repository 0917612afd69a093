// The spreadsheet exports as a user meets them: opened in LibreOffice Calc, not read back by our
// own parser (which once accepted a CSV that every spreadsheet split into 263 rows).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { presentFiche } from '../src/actions/actions.presenter.js';
import { listActionIds, loadFiches } from '../src/actions/actions.repository.js';
import { guardFormula, LIST_SEPARATOR, SHEET_COLUMNS } from '../src/exports/exports.presenter.js';
import { importDump } from '../src/legacy-dump/import.service.js';
import { loadReferenceIndex } from '../src/vocabularies/vocabularies.service.js';
import { FIXTURES, openSeededApp, testEngines } from './helpers/databases.js';
import { cellText, type OfficeCell, openInLibreOffice } from './helpers/office.js';
import { missing } from './helpers/tools.js';

const HOSTILE = readFileSync(path.join(FIXTURES, 'hostile-cells.txt'));
const TEXT_COLUMNS = [
  'Titre',
  'Structure organisatrice',
  'Mots clés',
  'Public',
  'Résumé',
  'Raisons pour lesquelles l’action est terminée',
  'Précision (si autre)',
  'Description de l’expérience',
  'Description générale',
  'Ressources financières mobilisées',
  'Nombre de personnes mobilisées',
  'Résultat sur le territoire',
  'Résultat pour le centre social',
  'Résultat pour les habitants',
  'Limites',
  'Perspectives',
];

for (const engine of testEngines()) {
  describe(`spreadsheet exports opened in LibreOffice (${engine})`, { skip: missing('libreoffice') }, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let stored: ReturnType<typeof presentFiche>[];

    before(async () => {
      seeded = await openSeededApp(engine);
      const { db } = seeded.handle;
      await importDump(db, HOSTILE);
      const ref = await loadReferenceIndex(db);
      stored = (await loadFiches(db, await listActionIds(db, 0, 100))).map((f) => presentFiche(f, ref));
    });
    after(() => seeded.close());

    const download = async (url: string) => {
      const response = await seeded.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 200, url);
      return response.rawPayload;
    };
    const column = (header: string) => SHEET_COLUMNS.findIndex((c) => c.header === header);
    // What a reader expects in each text column: the text as stored, lists joined, and in the CSV
    // a leading apostrophe on a cell a spreadsheet would otherwise run.
    const expectedText = (fiche: (typeof stored)[number], header: string, kind: 'csv' | 'xlsx') => {
      const value = SHEET_COLUMNS[column(header)].value(fiche, '');
      const text = value === null ? '' : String(value);
      return kind === 'csv' && text !== '' ? guardFormula(text) : text;
    };

    /** Checks every row LibreOffice read against the stored fiches it should hold. */
    function assertSheet(rows: OfficeCell[][], ids: number[], kind: 'csv' | 'xlsx') {
      assert.deepEqual(
        rows[0].map(cellText),
        SHEET_COLUMNS.map((c) => c.header),
        'header row',
      );
      assert.equal(rows.length, ids.length + 1, `${ids.length} fiches, one row each, and the header`);
      const formulas = rows.flatMap((row, r) =>
        row.flatMap((cell, c) => (cell.formula ? [`row ${r + 1}, ${SHEET_COLUMNS[c]?.header}: ${cell.formula}`] : [])),
      );
      assert.deepEqual(formulas, [], 'no cell became a formula');
      assert.deepEqual(
        rows.slice(1).map((row) => row[0].value),
        ids,
        'the Identifiant column holds the ids, as numbers',
      );
      for (const row of rows.slice(1)) {
        const fiche = stored.find((f) => f.id === row[0].value);
        assert.ok(fiche);
        for (const header of TEXT_COLUMNS) {
          assert.equal(
            cellText(row[column(header)]),
            expectedText(fiche, header, kind),
            `${header} of fiche ${fiche.id}`,
          );
        }
        assert.equal(row[column('Budget (€)')].value, fiche.budget.total?.amount ?? null, `budget of ${fiche.id}`);
      }
    }

    test('the CSV of the whole catalogue reads as one row per fiche, every text cell as stored', async () => {
      const rows = await openInLibreOffice(await download('/actions/export?format=csv'), 'csv');
      assertSheet(
        rows,
        stored.map((f) => f.id),
        'csv',
      );
      const retraites = rows.find((r) => cellText(r[column('Titre')]).startsWith("l'atelier des retraités connectés"));
      assert.equal(retraites?.[column('Budget (€)')].value, 5647);
    });

    test('the CSV of a search holds the fiches the search finds', async () => {
      const filters = 'keyword=vieillissement&dimension=services';
      const found = (await seeded.app.inject({ method: 'GET', url: `/api/v1/actions?${filters}&perPage=100` })).json();
      assert.ok(found.total > 0 && found.total < 25);
      const ids = found.items.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b);
      const rows = await openInLibreOffice(await download(`/actions/export?format=csv&${filters}`), 'csv');
      assertSheet(rows, ids, 'csv');
      const keywords = rows.slice(1).map((r) => cellText(r[column('Mots clés')]));
      assert.ok(keywords.every((k) => k.split(LIST_SEPARATOR).includes('Vieillissement')));
    });

    test('the XLSX reads the same, hostile cells as plain text', async () => {
      const rows = await openInLibreOffice(await download('/api/v1/actions/export?format=xlsx'), 'xlsx');
      assertSheet(
        rows,
        stored.map((f) => f.id),
        'xlsx',
      );
      const hostile = rows.find((r) => cellText(r[column('Titre')]).startsWith('=HYPERLINK'));
      assert.ok(hostile, 'the formula-looking title is kept as text');
    });

    // What the sheet says does not depend on the engine: LibreOffice reads it once.
    if (engine === testEngines()[0])
      test('the XLSX of a search says, on its « À propos » sheet, where the data come from and their licence', async () => {
        const bytes = await download('/actions/export?format=xlsx&department=46');
        const about = new Map(
          (await openInLibreOffice(bytes, 'xlsx', 'À propos')).map((r) => [cellText(r[0]), cellText(r[1])]),
        );
        assert.equal(about.get('Source'), 'Essaim, le catalogue des actions des centres sociaux');
        assert.equal(about.get('Recherche'), `${seeded.config.publicUrl}/actions?department=46`);
        assert.equal(
          about.get('Licence'),
          'Licence Ouverte 2.0 (Etalab) : https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
        );
        assert.match(about.get('Exporté le') ?? '', /^\d{1,2} \p{L}+ \d{4} à \d{2}:\d{2}$/u);
      });
  });
}
