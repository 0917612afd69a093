import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, SEED, testEngines } from '../../test/helpers/databases.js';
import type { DbHandle } from '../db/connect.js';
import { importDump } from '../legacy-dump/import.service.js';
import { search } from './search.service.js';

// What a person typing these words expects near the top, by the seed fiches' titles: each
// expected fiche within the first `within` results. Written from the titles and résumés, not
// from the ranking's output.
const EXPECTATIONS: Array<{ q: string; titles: string[]; within: 3 | 5 }> = [
  { q: 'rando', titles: ['La rando mollo : reprendre goût ensemble à la pratique sportive'], within: 3 },
  { q: 'rando mollo', titles: ['La rando mollo : reprendre goût ensemble à la pratique sportive'], within: 3 },
  { q: 'café santé', titles: ['Les rencontres Café Santé'], within: 3 },
  {
    q: 'retraités connectés',
    titles: ["l'atelier des retraités connectés : lutter contre la fracture numérique des aînés"],
    within: 3,
  },
  {
    q: 'fracture numérique',
    titles: ["l'atelier des retraités connectés : lutter contre la fracture numérique des aînés"],
    within: 5,
  },
  { q: 'bus autonomie', titles: ["Bus de l'autonomie"], within: 3 },
  { q: 'bien vieillir', titles: ['Bien Vieillir'], within: 3 },
  { q: 'visites bénévoles', titles: ['" Blabla et Cie " : visites bénévoles de personnes isolées'], within: 3 },
  { q: 'personnes isolées', titles: ['" Blabla et Cie " : visites bénévoles de personnes isolées'], within: 5 },
  { q: 'séjour adultes', titles: ['Séjour Adultes'], within: 3 },
  { q: 'activités physiques', titles: ['Activités physiques séniors'], within: 3 },
  { q: 'sport seniors', titles: ['Activités physiques séniors', 'Sportifs à tout âge'], within: 5 },
  { q: 'espace multimédia', titles: ['Espace multimédia'], within: 3 },
  { q: 'animateur numérique', titles: ['Animateur numérique'], within: 3 },
  {
    q: 'maison de services au public',
    titles: [
      "MAISON DE SERVICES AU PUBLIC : offrir un accueil de proximité et de qualité à l'attention de tous les publics",
    ],
    within: 3,
  },
  { q: 'renouvellement du projet social', titles: ['Renouvellement du projet social'], within: 3 },
  { q: 'ballade', titles: ['BALLADE ET FLANERIE'], within: 3 },
  { q: 'vivre ensemble', titles: ['Les ateliers du vivre ensemble'], within: 5 },
  { q: 'numéri', titles: ['Accompagnement individuel et collectif au numérique', 'Animateur numérique'], within: 5 },
  {
    q: 'atelier numérique aînés',
    titles: ["l'atelier des retraités connectés : lutter contre la fracture numérique des aînés"],
    within: 3,
  },
];

for (const engine of testEngines()) {
  describe(`relevance on the seed fiches (${engine})`, () => {
    let handle: DbHandle;

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
    });
    after(async () => {
      await handle.close();
    });

    for (const { q, titles, within } of EXPECTATIONS) {
      it(`« ${q} » puts ${titles.length === 1 ? 'its fiche' : 'its fiches'} in the first ${within}`, async () => {
        const top = (await search(handle.db, { q })).items.slice(0, within).map((i) => i.title);
        for (const title of titles) assert.ok(top.includes(title), `« ${title} » absente de ${JSON.stringify(top)}`);
      });
    }
  });
}
