// Writes bench/queries-v1.json, the fixed query mix of the search benchmarks. Run once; the
// file is committed so that every run measures the same searches.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { FacetFilters } from '../src/search/facets.js';
import { DEPARTEMENTS, REGIONS } from '../src/vocabularies/departements.js';
import { SEED_VOCABULARIES } from '../src/vocabularies/vocabularies.data.js';
import { MIX_FILE, type MixQuery, type QueryKind } from './lib/mix.js';
import { Random } from './lib/random.js';

const COMMON = [
  'seniors',
  'atelier',
  'ateliers',
  'numérique',
  'habitants',
  'lien',
  'social',
  'activité',
  'projet',
  'jeunes',
  'familles',
  'sortie',
  'santé',
  'bénévoles',
  'animation',
  'vieillissement',
  'isolement',
  'retraités',
  'informatique',
  'partenaires',
  'quartier',
  'accompagnement',
  'personnes',
  'groupe',
  'sport',
  'mémoire',
  'cuisine',
  'culture',
  'solidarité',
  'aînés',
  'enfants',
  'parents',
  'vacances',
  'prévention',
  'autonomie',
  'échanges',
  'convivialité',
  'rencontres',
  'marche',
  'jardin',
];
const MULTI = [
  'lien social',
  'atelier numérique',
  'bien vieillir',
  'personnes âgées',
  'fracture numérique',
  'sortie culturelle',
  'activité physique',
  'accès aux droits',
  'aide aux aidants',
  'prévention des chutes',
  'jardin partagé',
  'café des parents',
  'lutte contre isolement',
  'séjour familles',
  'repas partagé seniors',
  'ateliers mémoire',
  'démarches administratives',
  'centre social seniors',
  'conférence des financeurs',
  'mobilité transport',
  'bénévoles seniors',
  'projet intergénérationnel',
  'numérique retraités',
  'tablettes seniors',
  'sortie nature',
];
const RARE_WORDS = ['tablettes', 'ANCV', 'chorale', 'mollo', 'Clik', 'MSAP', 'blabla', 'randonnée', 'scène', 'pépites'];
const SYNTAX = [
  '"lien social"',
  'atelier -numérique',
  'seniors OR jeunes',
  '"bien vieillir" sport',
  'numérique -tablettes',
  '"personnes âgées" isolement',
  'cuisine OR jardin',
  'sortie -vacances',
  '"accès aux droits"',
  'mémoire OR équilibre',
];

function typo(random: Random, word: string): string {
  const i = random.int(1, word.length - 2);
  switch (random.int(0, 2)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    default:
      return word.slice(0, i) + word[i] + word.slice(i);
  }
}

function codes(table: keyof typeof SEED_VOCABULARIES): string[] {
  return SEED_VOCABULARIES[table].map((t) => t.code);
}

const BIG_DEPARTEMENTS = ['59', '75', '13', '69', '92', '93', '33', '78', '62', '31', '44', '34', '06', '94', '76'];
const FACET_CHOICES: Array<[keyof FacetFilters, () => string[]]> = [
  ['keyword', () => codes('keywords')],
  ['public', () => codes('publics')],
  ['dimension', () => codes('dimensions')],
  ['status', () => codes('statuses')],
  ['department', () => [...BIG_DEPARTEMENTS, ...DEPARTEMENTS.map((d) => d.code)]],
  ['region', () => REGIONS.map((r) => r.code)],
  ['territory', () => codes('territories')],
  ['initiative', () => codes('initiatives')],
  ['partner', () => codes('partners')],
];

function facets(random: Random, count: number): FacetFilters | undefined {
  if (count === 0) return undefined;
  const filters: FacetFilters = {};
  while (Object.keys(filters).length < count) {
    const [name, values] = random.pick(FACET_CHOICES);
    if (filters[name]) continue;
    const picked = new Set([random.pick(values())]);
    if (random.chance(0.2)) picked.add(random.pick(values()));
    filters[name] = [...picked];
  }
  return filters;
}

function facetCount(random: Random): number {
  const x = random.next();
  return x < 0.5 ? 0 : x < 0.8 ? 1 : x < 0.95 ? 2 : 3;
}

const random = new Random(2026);
const require = createRequire(import.meta.url);
const villages = (
  require('@etalab/decoupage-administratif/data/communes.json') as Array<{
    nom: string;
    type: string;
    population?: number;
  }>
)
  .filter((c) => c.type === 'commune-actuelle' && (c.population ?? 0) > 300 && /^[\p{L}]+$/u.test(c.nom))
  .map((c) => c.nom);

const queries: MixQuery[] = [];
const add = (kind: QueryKind, q: string | undefined, filterCount = facetCount(random), page?: number) => {
  const sortDraw = random.next();
  const query: MixQuery = { kind };
  if (q) query.q = q;
  const filters = facets(random, filterCount);
  if (filters) query.filters = filters;
  if (page) query.page = page;
  if (sortDraw < 0.1) query.sort = 'recent';
  else if (sortDraw < 0.15) query.sort = 'title';
  queries.push(query);
};
for (let i = 0; i < 90; i++) add('common', random.pick(COMMON));
for (let i = 0; i < 60; i++) add('multi', random.pick(MULTI));
for (let i = 0; i < 30; i++) add('rare', random.pick(villages));
for (let i = 0; i < 10; i++) add('rare', random.pick(RARE_WORDS));
for (let i = 0; i < 30; i++) add('typo', typo(random, random.pick(COMMON.filter((w) => w.length >= 6))));
for (let i = 0; i < 50; i++) add('facets', undefined, random.int(1, 3));
for (let i = 0; i < 30; i++)
  add('deep', random.chance(0.7) ? random.pick(COMMON) : undefined, facetCount(random), random.int(2, 10));
for (let i = 0; i < 20; i++) add('syntax', random.pick(SYNTAX));
// Shuffled, so that a run's first queries are as mixed as the whole (smoke runs take the first 20).
for (let i = queries.length - 1; i > 0; i--) {
  const j = random.int(0, i);
  [queries[i], queries[j]] = [queries[j], queries[i]];
}
await writeFile(MIX_FILE, `${JSON.stringify({ version: 1, queries }, null, 1)}\n`);
console.log(`${queries.length} queries written to ${MIX_FILE.pathname}`);
