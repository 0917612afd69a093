import { type Db, VOCABULARY_TABLES, type VocabularyTableName } from '../db/database.js';
import { DEPARTEMENTS, REGIONS } from './departements.js';
import { matchKey, slugify } from './normalize.js';
import { SEED_VOCABULARIES } from './vocabularies.data.js';
import {
  insertMissingTerms,
  listAllTerms,
  listDepartements,
  listTerms,
  type TermRow,
  upsertGeography,
} from './vocabularies.repository.js';

/** Loads the reference data every install needs: départements, régions and the vocabularies. */
export async function seedReferenceData(db: Db): Promise<void> {
  await upsertGeography(db, REGIONS, DEPARTEMENTS);
  for (const table of VOCABULARY_TABLES) {
    const terms = SEED_VOCABULARIES[table].map((t, i) => ({
      code: t.code,
      label: t.label,
      legacy_labels: t.legacy ?? [],
      sort_order: (i + 1) * 10,
      flagged: false,
    }));
    await insertMissingTerms(db, table, terms);
  }
}

/** The label a term is written with in the legacy dump. */
export function dumpLabel(term: Pick<TermRow, 'label' | 'legacy_labels'>): string {
  return term.legacy_labels[0] ?? term.label;
}

/** Every vocabulary and the départements, indexed by code, for presenting stored fiches. */
export interface ReferenceIndex {
  terms: Record<VocabularyTableName, Map<string, TermRow>>;
  departements: Map<string, { code: string; name: string; regionCode: string; regionName: string }>;
  /** Région names by INSEE code. */
  regions: Map<string, string>;
}

/** Reads the vocabularies and départements once, for presenters and exports. */
export async function loadReferenceIndex(db: Db): Promise<ReferenceIndex> {
  const [allTerms, departementRows] = await Promise.all([listAllTerms(db), listDepartements(db)]);
  const terms = Object.fromEntries(
    VOCABULARY_TABLES.map((table) => [
      table,
      new Map(allTerms.filter((t) => t.vocabulary === table).map(({ vocabulary: _, ...t }) => [t.code, t])),
    ]),
  ) as ReferenceIndex['terms'];
  const departements = new Map(
    departementRows.map((d) => [
      d.code,
      { code: d.code, name: d.name, regionCode: d.region_code, regionName: d.region_name },
    ]),
  );
  const regions = new Map(departementRows.map((d) => [d.region_code, d.region_name]));
  return { terms, departements, regions };
}

/**
 * Turns labels met in imported files into codes. A label no term accepts creates a flagged
 * term (kept, never dropped) in the caller's transaction, so that a rolled-back import leaves none.
 */
export class VocabularyResolver {
  private readonly keys = new Map<VocabularyTableName, Map<string, string>>();
  // The code of each label as written, so that a label met again is not folded again: an
  // import of 100 000 fiches resolves about a million labels, of a few hundred kinds.
  private readonly resolved = new Map<VocabularyTableName, Map<string, string>>();

  private constructor(private readonly db: Db) {}

  /** Builds a resolver over the terms stored now. */
  static async load(db: Db): Promise<VocabularyResolver> {
    const resolver = new VocabularyResolver(db);
    for (const table of VOCABULARY_TABLES) {
      const keys = new Map<string, string>();
      for (const term of await listTerms(db, table)) {
        for (const label of [term.label, ...term.legacy_labels]) keys.set(matchKey(label), term.code);
      }
      resolver.keys.set(table, keys);
      resolver.resolved.set(table, new Map());
    }
    return resolver;
  }

  /** The code for a label, and whether the term had to be created for it. */
  async resolve(table: VocabularyTableName, label: string): Promise<{ code: string; created: boolean }> {
    const resolved = this.resolved.get(table) as Map<string, string>;
    const code = resolved.get(label);
    if (code !== undefined) return { code, created: false };
    const result = await this.fold(table, label);
    resolved.set(label, result.code);
    return result;
  }

  private async fold(table: VocabularyTableName, label: string): Promise<{ code: string; created: boolean }> {
    const keys = this.keys.get(table) as Map<string, string>;
    const known = keys.get(matchKey(label));
    if (known) return { code: known, created: false };
    const codes = new Set(keys.values());
    let code = slugify(label);
    for (let n = 2; codes.has(code); n++) code = `${slugify(label)}-${n}`;
    const text = label.trim();
    await insertMissingTerms(this.db, table, [
      { code, label: text, legacy_labels: [text], sort_order: 1000, flagged: true },
    ]);
    keys.set(matchKey(label), code);
    return { code, created: true };
  }
}

/** One département with its région's name, or undefined for an unknown code. */
export async function getDepartement(db: Db, code: string) {
  const { departements } = await loadReferenceIndex(db);
  return departements.get(code);
}
