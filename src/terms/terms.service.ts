import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError, notFound } from '../core/errors.js';
import { quote } from '../core/typography.js';
import { type Db, VOCABULARY_TABLES, type VocabularyTableName } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { indexActions } from '../search/indexing.service.js';
import { matchKey, slugify } from '../vocabularies/normalize.js';
import {
  countTermUses,
  insertMissingTerms,
  listActionIdsUsingTerm,
  listTerms,
  type TermRow,
  updateTerm,
} from '../vocabularies/vocabularies.repository.js';

/** The vocabularies' names as the admin pages show them, in the fiche's order. */
export const VOCABULARY_NAMES: Record<VocabularyTableName, string> = {
  statuses: 'Statuts de l’action',
  dimensions: 'Dimensions',
  keywords: 'Mots clés',
  initiatives: 'À l’initiative de l’action',
  territories: 'Territoires',
  publics: 'Publics',
  partners: 'Partenaires',
};

const LABEL_MIN = 2;
/** The longest label a term may have. */
export const LABEL_MAX = 120;
// Terms the import creates come last (1000); an admin's come after the seed's.
const FLAGGED_ORDER = 1000;

/** A term form refused, with a French message for its label. */
function termRefused(message: string): AppError {
  return new AppError('invalid_term', message, 'label');
}

/** The vocabulary a table name in an address names, or a 404. */
export function vocabularyOf(name: string): VocabularyTableName {
  const table = VOCABULARY_TABLES.find((t) => t === name);
  if (!table) throw notFound('Ce vocabulaire n’existe pas.');
  return table;
}

function ensureAdmin(user: SessionUser): void {
  if (!can(user, 'admin:manage', null)) {
    throw new AppError('forbidden', 'Les vocabulaires sont gérés par les administrateurs.');
  }
}

/** Every vocabulary with its terms and how many published fiches use each. */
export async function listVocabularies(db: Db, user: SessionUser) {
  ensureAdmin(user);
  return Promise.all(
    (Object.keys(VOCABULARY_NAMES) as VocabularyTableName[]).map(async (table) => {
      const [terms, uses] = await Promise.all([listTerms(db, table), countTermUses(db, table)]);
      return { table, name: VOCABULARY_NAMES[table], terms: terms.map((t) => ({ ...t, uses: uses.get(t.code) ?? 0 })) };
    }),
  );
}

/** One term with its use count, for its form. */
export async function getTerm(db: Db, user: SessionUser, table: VocabularyTableName, code: string) {
  ensureAdmin(user);
  const term = (await listTerms(db, table)).find((t) => t.code === code);
  if (!term) throw notFound('Cette valeur n’existe pas, ou plus.');
  return { ...term, uses: (await countTermUses(db, table)).get(code) ?? 0 };
}

// A label cleaned as typed, or a refusal saying why; it must not be another term's, old labels included.
function checkLabel(raw: string, terms: TermRow[], code: string | null): string {
  const label = raw.replace(/\s+/g, ' ').trim();
  if (label.length < LABEL_MIN || label.length > LABEL_MAX) {
    throw termRefused(
      `Le libellé doit compter de ${LABEL_MIN} à ${LABEL_MAX} caractères (il en compte ${label.length}).`,
    );
  }
  const key = matchKey(label);
  const twin = terms.find((t) => t.code !== code && [t.label, ...t.legacy_labels].some((l) => matchKey(l) === key));
  if (twin) throw termRefused(`Ce libellé est déjà celui de la valeur ${quote(twin.label)}.`);
  return label;
}

/** Adds a term to a vocabulary; returns its code, made from its label. */
export async function addTerm(db: Db, user: SessionUser, table: VocabularyTableName, rawLabel: string) {
  ensureAdmin(user);
  return inTransaction(db, async (tx) => {
    const terms = await listTerms(tx, table);
    const label = checkLabel(rawLabel, terms, null);
    const codes = new Set(terms.map((t) => t.code));
    let code = slugify(label);
    for (let n = 2; codes.has(code); n++) code = `${slugify(label)}-${n}`;
    const last = Math.max(0, ...terms.filter((t) => t.sort_order < FLAGGED_ORDER).map((t) => t.sort_order));
    await insertMissingTerms(tx, table, [{ code, label, legacy_labels: [], sort_order: last + 10, flagged: false }]);
    return code;
  });
}

/**
 * Renames a term and marks it checked. The first label it had is kept as its old label, so
 * that files using it still import and the legacy dump still writes what the source wrote;
 * the fiches using it are reindexed, since search finds them by their terms' labels.
 */
export async function editTerm(
  db: Db,
  user: SessionUser,
  table: VocabularyTableName,
  code: string,
  input: { label: string; checked: boolean },
): Promise<void> {
  ensureAdmin(user);
  await inTransaction(db, async (tx) => {
    const terms = await listTerms(tx, table);
    const term = terms.find((t) => t.code === code);
    if (!term) throw notFound('Cette valeur n’existe pas, ou plus.');
    const label = checkLabel(input.label, terms, code);
    const legacy = term.legacy_labels.length === 0 && label !== term.label ? [term.label] : term.legacy_labels;
    await updateTerm(tx, table, code, { label, legacy_labels: legacy, flagged: term.flagged && !input.checked });
    if (label !== term.label) await indexActions(tx, await listActionIdsUsingTerm(tx, table, code));
  });
}
