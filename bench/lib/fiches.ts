import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { VocabularyTableName } from '../../src/db/database.js';
import {
  ACTION_PARTNERS_HEADING,
  type DumpFiche,
  FICHE_START,
  FINANCIAL_PARTNERS_HEADING,
  HEADER,
  isLabelLine,
  PLAIN_TEXT_KEYS,
} from '../../src/legacy-dump/format.js';
import { parseDump } from '../../src/legacy-dump/parser.js';
import { DEPARTEMENTS } from '../../src/vocabularies/departements.js';
import { SEED_VOCABULARIES } from '../../src/vocabularies/vocabularies.data.js';
import { ProseModel } from './prose.js';
import { Random, Weighted } from './random.js';

const SEED_FILE = new URL('../../seed/fiches-carsat.txt', import.meta.url);

interface Commune {
  nom: string;
  departement: string;
  population?: number;
  type: string;
}

interface Structure {
  name: string;
  departementName: string;
  titles: Set<string>;
}

// How often each vocabulary value is used: the catalogue is CARSAT's first, so "Seniors" and
// "Vieillissement" dominate, as "Services" does among dimensions.
const SKEW: Partial<Record<VocabularyTableName, Record<string, number>>> = {
  statuses: { 'en-cours': 70, terminee: 30 },
  dimensions: { services: 60, 'accompagnement-projets': 25, citoyennete: 15 },
  keywords: { vieillissement: 30, intergenerationnel: 25, solidarite: 15, sante: 12, integration: 10, culture: 8 },
  initiatives: { 'centre-social': 70, 'groupe-habitants': 20, partenaires: 25, autre: 5 },
  territories: { 'une-commune': 40, 'plusieurs-communes': 25, 'plusieurs-quartiers': 30, autre: 5 },
  publics: { seniors: 45, 'tous-publics': 15, adultes: 12, familles: 10, enfants: 6, jeunes: 6 },
};

// Partners beyond the seeded ones, as dumps name them; the import adds them to the vocabulary.
const EXTRA_PARTNERS: Array<[string, number]> = [
  ['Commune', 20],
  ['Conseil départemental', 15],
  ['Conférence des financeurs', 10],
  ['MSA', 8],
  ['Association locale', 6],
  ['AG2R La Mondiale', 4],
  ['Mutualité française', 4],
  ['Éducation nationale', 3],
];

const TITLE_HEADS = [
  'Atelier',
  'Ateliers',
  'Café',
  'Sortie',
  'Séjour',
  'Accompagnement',
  'Permanence',
  'Fête',
  'Rencontres',
  'Groupe',
  'Club',
  'Espace',
  'Projet',
  'Balade',
  'Jardin partagé',
  'Repair café',
  'Bus',
  'Point',
  'Semaine',
  'Parcours',
];
const TITLE_TAILS = [
  'numérique',
  'des seniors',
  'intergénérationnel',
  'bien vieillir',
  'mémoire',
  'du lien social',
  'sport santé',
  'cuisine et partage',
  'parents-enfants',
  'des aînés',
  'des habitants',
  'prévention des chutes',
  'contre l’isolement',
  'des retraités connectés',
  'vacances en famille',
  'théâtre et expression',
  'marche nordique',
  'jeux de société',
  'accès aux droits',
  'France services',
  'équilibre et nutrition',
  'des aidants',
  'lecture partagée',
  'bricolage solidaire',
];
const END_REASONS = [
  'Fin du financement',
  'Départ de l’animatrice',
  'Le groupe a pris son autonomie',
  'Action remplacée par un nouveau projet',
];

/** Formats an amount the many ways the fiches write them: "1 404,08 €", "38 297.47€", "4410€"… */
function amount(random: Random, value: number): string {
  const cents = random.chance(0.3);
  const [whole, decimals] = value.toFixed(2).split('.');
  const grouped = random.chance(0.6) ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ' ') : whole;
  const number = cents ? `${grouped}${random.chance(0.5) ? ',' : '.'}${decimals}` : grouped;
  return `${number}${random.chance(0.5) ? ' €' : '€'}`;
}

function budgetText(random: Random, prose: string): string | null {
  const total = random.int(3, 600) * 100 + (random.chance(0.3) ? random.int(1, 99) : 0) + random.next();
  switch (random.int(0, 4)) {
    case 0:
      return amount(random, total);
    case 1: {
      const carsat = Math.round(total * 0.4);
      const caf = Math.round(total * 0.25);
      return [
        `Budget total : ${amount(random, total)}`,
        `CARSAT : ${amount(random, carsat)}`,
        `CAF : ${amount(random, caf)}`,
        `Participation des habitants : ${amount(random, total - carsat - caf)}`,
      ].join('\n');
    }
    case 2:
      return [
        'CHARGES :',
        `Intervenants : ${amount(random, total * 0.6)}`,
        `Achats : ${amount(random, total * 0.4)}`,
        `TOTAL CHARGES : ${amount(random, total)}`,
        'PRODUITS :',
        `Conférence des financeurs : ${amount(random, total * 0.7)}`,
        `Autofinancement : ${amount(random, total * 0.3)}`,
        `TOTAL PRODUITS : ${amount(random, total)}`,
      ].join('\n');
    case 3:
      return `L’action a un coût global de ${amount(random, total)} environ.\n${prose}`;
    default:
      return prose || null;
  }
}

/** Realistic synthetic fiches, the same ones for the same seed. */
export class FicheGenerator {
  private readonly random: Random;
  private readonly prose: ProseModel;
  private readonly proportions: number[][];
  private readonly seedTitles: string[];
  private readonly structures: Structure[] = [];
  private readonly structureWeights: Weighted<Structure>;
  private readonly terms: Record<VocabularyTableName, Weighted<string>>;
  private readonly partners: Weighted<string>;

  constructor(seed: number, structureCount: number) {
    this.random = new Random(seed);
    const seedFiches = parseDump(readFileSync(SEED_FILE)).fiches;
    const require = createRequire(import.meta.url);
    const communes = (require('@etalab/decoupage-administratif/data/communes.json') as Commune[]).filter(
      (c) => c.type === 'commune-actuelle' && (c.population ?? 0) > 0,
    );
    const lines = seedFiches.flatMap((f) =>
      [...PLAIN_TEXT_KEYS.map((k) => f[k]), f.endReason, f.initiativeDetail].flatMap((t) => t?.split('\n') ?? []),
    );
    this.prose = new ProseModel(
      lines,
      communes.map((c) => c.nom),
    );
    this.proportions = seedFiches.map((f) => PLAIN_TEXT_KEYS.map((k) => f[k]?.length ?? 0));
    this.seedTitles = seedFiches.map((f) => f.title);

    // Structures sit in communes drawn by population, which gives the big départements their share.
    const byCode = new Map(DEPARTEMENTS.map((d) => [d.code, d.name]));
    const placed = communes.filter((c) => byCode.has(c.departement));
    const communeWeights = new Weighted(
      placed,
      placed.map((c) => c.population ?? 0),
    );
    const names = new Set<string>();
    while (this.structures.length < structureCount) {
      const commune = communeWeights.draw(this.random);
      const name = this.structureName(commune.nom);
      const departementName = byCode.get(commune.departement) as string;
      const key = `${name}\u0000${departementName}`;
      if (names.has(key)) continue;
      names.add(key);
      this.structures.push({ name, departementName, titles: new Set() });
    }
    // A few centres publish a lot, most publish a little.
    this.structureWeights = new Weighted(
      this.structures,
      this.structures.map(() => 0.2 + this.random.next() ** 3),
    );
    this.terms = Object.fromEntries(
      Object.entries(SEED_VOCABULARIES).map(([table, terms]) => {
        const skew = SKEW[table as VocabularyTableName] ?? {};
        return [
          table,
          new Weighted(
            terms.map((t) => t.legacy?.[0] ?? t.label),
            terms.map((t) => skew[t.code] ?? 3),
          ),
        ];
      }),
    ) as Record<VocabularyTableName, Weighted<string>>;
    const partnerNames = [...SEED_VOCABULARIES.partners.map((t) => t.label), ...EXTRA_PARTNERS.map(([n]) => n)];
    this.partners = new Weighted(partnerNames, [40, 25, 8, 5, ...EXTRA_PARTNERS.map(([, w]) => w)]);
  }

  private structureName(commune: string): string {
    const r = this.random;
    switch (r.int(0, 5)) {
      case 0:
        return `CENTRE SOCIAL ${commune.toUpperCase()}`;
      case 1:
        return `Centre social de ${commune}`;
      case 2:
        return `Espace de vie sociale ${commune}`;
      case 3:
        return `Centre social ${r.pick(['Les Tilleuls', 'La Passerelle', 'Le Lien', 'L’Escale', 'Les Acacias', 'Arc-en-ciel', 'Le Phare', 'La Ruche'])} ${commune}`;
      case 4:
        return `Maison des habitants de ${commune}`;
      default:
        return `EVS ${commune}`;
    }
  }

  private title(structure: Structure): string {
    const r = this.random;
    for (;;) {
      const base = r.chance(0.1)
        ? r.pick(this.seedTitles)
        : `${r.pick(TITLE_HEADS)} ${r.pick(TITLE_TAILS)}${r.chance(0.3) ? ` : ${r.pick(TITLE_TAILS)}` : ''}`;
      const title = structure.titles.has(base) ? `${base} ${r.int(2015, 2026)}` : base;
      if (structure.titles.has(title)) continue;
      structure.titles.add(title);
      return title;
    }
  }

  private text(length: number): string | null {
    if (length < 40) return null;
    return this.prose.text(this.random, length, rejectLine);
  }

  /** The next fiche. */
  next(): DumpFiche {
    const r = this.random;
    const structure = this.structureWeights.draw(r);
    // With the labels, 1 to 5 KB a fiche, mostly 2 to 3.5, the text shared between the fields
    // as a real fiche shares it.
    const size = 500 + 3300 * ((r.next() + r.next() + r.next()) / 3) ** 1.3;
    const shares = r.pick(this.proportions);
    const sum = shares.reduce((a, b) => a + b, 0);
    const texts = Object.fromEntries(
      PLAIN_TEXT_KEYS.map((key, i) => [key, this.text(Math.round((shares[i] / sum) * size))]),
    ) as Record<(typeof PLAIN_TEXT_KEYS)[number], string | null>;
    if (texts.financialResources !== null || r.chance(0.5)) {
      texts.financialResources = budgetText(r, texts.financialResources ?? '');
    }
    const status = this.terms.statuses.draw(r);
    const initiatives = this.terms.initiatives.drawDistinct(r, r.int(1, 2));
    const partners = this.partners.drawDistinct(r, r.int(0, 4)).map((name) => ({
      role: r.chance(0.4) ? ('financial' as const) : ('action' as const),
      name,
    }));
    return {
      line: 0,
      title: this.title(structure),
      structureName: structure.name,
      departementName: structure.departementName,
      attachments: r.chance(0.2) ? null : r.chance(0.12) ? [`Bilan ${r.int(2015, 2025)}.pdf`] : [],
      status,
      endReason: status === 'Terminée' ? (r.chance(0.8) ? r.pick(END_REASONS) : null) : undefined,
      dimension: this.terms.dimensions.draw(r),
      keywords: this.terms.keywords.drawDistinct(r, r.int(1, 4)),
      initiatives,
      initiativeDetail: initiatives.includes('Autre') ? 'Une association du quartier' : undefined,
      territory: this.terms.territories.draw(r),
      publics: this.terms.publics.drawDistinct(r, r.int(1, 3)),
      partners: [...partners.filter((p) => p.role === 'action'), ...partners.filter((p) => p.role === 'financial')],
      partnersTerritory: r.chance(0.8) ? this.terms.territories.draw(r) : null,
      ...texts,
      labelLines: {},
    };
  }
}

const RESERVED = new Set([FICHE_START, HEADER, ACTION_PARTNERS_HEADING, FINANCIAL_PARTNERS_HEADING, '-']);

/** Lines the dump would read as structure rather than text. */
function rejectLine(line: string): boolean {
  return RESERVED.has(line) || isLabelLine(line);
}
