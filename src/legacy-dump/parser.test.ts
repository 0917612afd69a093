import assert from 'node:assert/strict';
import { constants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, SEED, SEED_TEXT } from '../../test/helpers/databases.js';
import { parseDump } from './parser.js';
import { writeDump } from './writer.js';

const lines = SEED_TEXT.split('\n');
/** The seed with some lines replaced: `edit(lineNumber, ...newLines)` replaces one 1-based line. */
function edited(edits: Record<number, string[]>): string {
  return lines.flatMap((line, i) => edits[i + 1] ?? [line]).join('\n');
}
/** Messages use non-breaking spaces; tests match them with plain ones. */
function plain(message: string | undefined): string {
  return (message ?? '').replace(/\u00a0/g, ' ');
}
function lineOf(text: string, from = 0): number {
  return lines.indexOf(text, from) + 1;
}

describe('parseDump on the seed file', () => {
  it('reads the 25 fiches without a problem and writes them back byte for byte', () => {
    const result = parseDump(SEED);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.fiches.length, 25);
    assert.equal(writeDump(result.fiches), SEED_TEXT);
  });

  it('keeps budget lines that begin with "- " as free text', () => {
    const fiche = parseDump(SEED).fiches.find((f) => f.title.startsWith("l'atelier des retraités connectés"));
    assert.ok(fiche);
    assert.match(fiche.financialResources ?? '', /^- CHARGES :\n- collations : 24x 12€ = 288€\n/);
    assert.match(fiche.financialResources ?? '', /\n- PRODUITS :\n/);
  });

  it('notes the absent attachments line and the optional labels', () => {
    const fiches = parseDump(SEED).fiches;
    const multimedia = fiches.find((f) => f.title === 'Espace multimédia');
    assert.equal(multimedia?.attachments, null);
    assert.deepEqual(fiches.find((f) => f.title === 'La Clik')?.attachments, []);
    const bus = fiches.find((f) => f.title === "Bus de l'autonomie");
    assert.match(bus?.initiativeDetail ?? '', /^Le Bus de l'autonomie est un projet proposé par l'OHS de Lorraine/);
    assert.equal(fiches[0].endReason, undefined);
    assert.equal(fiches[1].endReason, "L'action est terminée car elle était programmée sur 6 séances");
  });
});

describe('parseDump on layouts of real exports that the seed lacks', () => {
  const text = readFileSync(path.join(FIXTURES, 'layouts.txt'), 'utf8');
  const { fiches, errors, warnings } = parseDump(text);
  const [garden, cafe] = fiches;

  it('reads them without a problem and writes them back byte for byte', () => {
    assert.deepEqual([errors, warnings, fiches.length], [[], [], 2]);
    assert.equal(writeDump(fiches), text);
  });

  it('reads an empty dimension, empty lists and a partners heading with no partner under it', () => {
    assert.equal(garden.dimension, null);
    assert.deepEqual([garden.keywords, garden.initiatives, garden.partners], [[], [], []]);
    assert.equal(garden.territory, 'Une commune');
    assert.equal(garden.partnersTerritory, 'Une commune');
  });

  it('keeps lines ending with a colon or starting with a dash inside free text', () => {
    assert.match(garden.experience ?? '', /^Objectifs:\n- créer du lien entre voisins ;\n/);
    assert.equal(cafe.summary?.split('\n').length, 3);
    assert.ok(cafe.summary?.startsWith('- un café chaque mardi matin ;'));
  });

  it('takes the département after the last " - " of a structure that starts with a quote', () => {
    assert.equal(cafe.structureName, '"La Passerelle" - Espace de vie sociale - Saint-Denis');
    assert.equal(cafe.departementName, 'Seine-Saint-Denis');
  });

  it('reads a fiche whose ten last fields are all empty', () => {
    assert.equal(cafe.experience, null);
    assert.equal(cafe.partnersTerritory, null);
    for (const key of [
      'generalDescription',
      'financialResources',
      'peopleMobilised',
      'limits',
      'perspectives',
    ] as const) {
      assert.equal(cafe[key], null, key);
    }
    assert.deepEqual(cafe.partners, [
      { role: 'action', name: 'Caf' },
      { role: 'financial', name: 'Caf' },
    ]);
  });
});

describe('parseDump on bad input', () => {
  it('reports an empty file', () => {
    for (const input of ['', '\n\n', '\uFEFF', '   \r\n']) {
      const { errors, fiches } = parseDump(input);
      assert.equal(fiches.length, 0);
      assert.deepEqual(errors, [{ line: 1, message: 'le fichier est vide.' }]);
    }
  });

  it('refuses a file too large to read at once, saying how to split it', () => {
    // 300 000 fiches in the source's format are about 970 MB, past what a string can hold.
    const { errors, fiches } = parseDump(Buffer.alloc(constants.MAX_STRING_LENGTH + 1, 'a'));
    assert.equal(fiches.length, 0);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /^fichier trop volumineux \(537 Mo\) : .*ligne «\sActions\s»/);
  });

  it('reports a file that is not a dump at all', () => {
    const csv = parseDump('titre;structure;département\nAtelier;CS;Var\n');
    assert.equal(csv.errors.length, 1);
    assert.equal(csv.errors[0].line, 1);
    assert.match(plain(csv.errors[0].message), /n’est pas un export de fiches actions/);
    const png = parseDump(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]));
    assert.equal(png.errors.length, 1);
    assert.match(plain(png.errors[0].message), /UTF-8/);
  });

  it('reports a truncated file with the line where it stops', () => {
    const cut = lineOf('- Résultat pour le centre social', lineOf('@ plus sur le web'));
    const text = lines.slice(0, cut - 1).join('\n');
    const { errors } = parseDump(text);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].fiche, '@ plus sur le web');
    assert.match(
      plain(errors[0].message),
      /fichier tronqué : la fiche s’arrête avant le champ « Résultat pour le centre social »/,
    );
    assert.equal(errors[0].line, cut - 1);
  });

  it('reports a file cut right after "Actions"', () => {
    const { errors } = parseDump(`${SEED_TEXT}\nActions`);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].line, lines.length + 1);
  });

  it('keeps an unknown label-looking line inside free text as text', () => {
    const summary = lineOf('- Résumé') + 1;
    const text = edited({
      [summary]: [lines[summary - 1], '- Résultats attendus : plus d’autonomie', '- Public visé : seniors'],
    });
    const { errors, fiches } = parseDump(text);
    assert.deepEqual(errors, []);
    assert.match(
      fiches[0].summary ?? '',
      /^Accompagner[^\n]*\n- Résultats attendus : plus d’autonomie\n- Public visé : seniors\n/,
    );
    assert.equal(writeDump(fiches), text);
  });

  it('refuses a NUL character, naming its line', () => {
    const result = parseDump(edited({ 30: ['texte\u0000abîmé'] }));
    assert.equal(result.fiches.length, 0);
    assert.deepEqual(
      result.errors.map((e) => [e.line, plain(e.message)]),
      [[30, 'caractère nul (U+0000) : le fichier est endommagé ou n’est pas un texte.']],
    );
  });

  it('reads CRLF line endings and a UTF-8 byte order mark as the same fiches', () => {
    const plain = parseDump(SEED_TEXT).fiches;
    const crlf = parseDump(`\uFEFF${SEED_TEXT.replace(/\n/g, '\r\n')}\r\n`);
    assert.deepEqual(crlf.errors, []);
    assert.deepEqual(crlf.fiches, plain);
    const bom = parseDump(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), SEED]));
    assert.deepEqual(bom.fiches, plain);
  });

  it('names a field out of order, its line and its fiche', () => {
    const at = lineOf('- Dimension', lineOf('@ plus sur le web'));
    const { errors, fiches } = parseDump(edited({ [at]: ['- Public'] }));
    assert.equal(fiches.length, 24);
    assert.equal(errors.length, 1);
    assert.deepEqual({ line: errors[0].line, fiche: errors[0].fiche }, { line: at, fiche: '@ plus sur le web' });
    assert.match(plain(errors[0].message), /champ « Public » inattendu ici : le champ « Dimension » était attendu/);
  });

  it('refuses two values where one is expected, and a structure without département', () => {
    const dimension = lineOf('- Dimension') + 1;
    const structure = lineOf('- Structure organisatrice') + 1;
    const { errors } = parseDump(
      edited({ [dimension]: ['- Services', '- Citoyenneté'], [structure]: ['- CENTRE SOCIAL SANS DÉPARTEMENT'] }),
    );
    assert.deepEqual(
      errors.map((e) => e.line),
      [structure, dimension],
    );
    assert.match(plain(errors[0].message), /structure sans département/);
    assert.match(plain(errors[1].message), /une seule valeur attendue dans le champ « Dimension », 2 trouvées/);
  });

  it('refuses a list line without its dash', () => {
    const publicValue = lineOf('- Public') + 1;
    const { errors } = parseDump(edited({ [publicValue]: ['Tous publics'] }));
    assert.equal(errors[0].line, publicValue);
    assert.match(plain(errors[0].message), /valeur attendue sous la forme « - valeur » dans le champ « Public »/);
  });

  it('reports every bad fiche, not only the first', () => {
    const first = lineOf('- Public');
    const second = lineOf('- Public', lineOf('@ plus sur le web'));
    const { errors, fiches } = parseDump(edited({ [first]: ['- Publics'], [second]: ['- Publics'] }));
    assert.equal(fiches.length, 23);
    assert.deepEqual(
      errors.map((e) => e.fiche),
      ['Accompagnement individuel et collectif au numérique', '@ plus sur le web'],
    );
  });
});
