import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError, notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { indexActions } from '../search/indexing.service.js';
import { getDepartement } from '../vocabularies/vocabularies.service.js';
import {
  findStructureIds,
  getStructure,
  insertStructures,
  listStructureActionIds,
  listStructureActions,
  listStructures,
  structureKey,
  updateStructure,
} from './structures.repository.js';

export type StructureRow = NonNullable<Awaited<ReturnType<typeof getStructure>>>;

/** A structure with its place and public contact details, or undefined. */
export function findStructure(db: Db, id: number): Promise<StructureRow | undefined> {
  return getStructure(db, id);
}

/** A structure and its fiches, or undefined when there is no structure with this id. */
export async function getStructureDetail(db: Db, id: number) {
  const structure = await getStructure(db, id);
  if (!structure) return undefined;
  return { structure, actions: await listStructureActions(db, id) };
}

/** A structure that `user` manages, or the refusal: 404 when it does not exist, 403 when it is not theirs. */
export async function structureToManage(db: Db, user: SessionUser, id: number): Promise<StructureRow> {
  const structure = await getStructure(db, id);
  if (!structure) throw notFound('Cette structure n’existe pas, ou plus.');
  if (!can(user, 'structure:manage', { structureId: structure.id, departementCode: structure.departement_code })) {
    throw new AppError('forbidden', 'Cette structure n’est pas dans vos départements.');
  }
  return structure;
}

/** One page of structures, filtered by département codes and a part of the name. */
export async function findStructures(
  db: Db,
  request: { departments?: string[]; q?: string; page?: number; perPage?: number },
) {
  const page = request.page ?? 1;
  const perPage = request.perPage ?? 50;
  const rows = await listStructures(
    db,
    { departementCodes: request.departments, nameContains: request.q?.trim() || undefined },
    perPage,
    (page - 1) * perPage,
  );
  return { total: rows[0]?.total ?? 0, page, perPage, items: rows };
}

/** What the structure form sends, as typed. */
export interface StructureInput {
  name: string;
  departementCode: string;
  kind: string;
}

const NAME_MIN = 2;
/** The longest structure name the form accepts. */
export const STRUCTURE_NAME_MAX = 200;
const KINDS = new Set(['centre_social', 'evs']);

/**
 * Creates or changes a structure, for a reviewer of its département (old and new) or an admin.
 * A change of name or département reindexes the structure's fiches, which search finds by both.
 */
export async function saveStructure(db: Db, user: SessionUser, id: number | null, input: StructureInput) {
  const name = input.name.replace(/\s+/g, ' ').trim();
  const errors: Record<string, string> = {};
  if (name.length < NAME_MIN || name.length > STRUCTURE_NAME_MAX) {
    errors.name = `Le nom doit compter de ${NAME_MIN} à ${STRUCTURE_NAME_MAX} caractères (il en compte ${name.length}).`;
  }
  if (!(await getDepartement(db, input.departementCode))) errors.departement = 'Choisissez un département.';
  else if (!can(user, 'structure:manage', { structureId: id ?? 0, departementCode: input.departementCode })) {
    errors.departement = 'Choisissez un des départements dont vous relisez les fiches.';
  }
  if (input.kind !== '' && !KINDS.has(input.kind)) errors.kind = 'Choisissez le type de structure.';
  if (Object.keys(errors).length > 0) throw AppError.form('invalid_structure', errors);
  const values = {
    name,
    departementCode: input.departementCode,
    kind: (input.kind || null) as 'centre_social' | 'evs' | null,
  };
  return inTransaction(db, async (tx) => {
    if (id !== null) {
      const current = await getStructure(tx, id);
      if (!current) throw notFound('Cette structure n’existe pas, ou plus.');
      if (!can(user, 'structure:manage', { structureId: id, departementCode: current.departement_code })) {
        throw new AppError('forbidden', 'Cette structure n’est pas dans vos départements.');
      }
    }
    const existing = (await findStructureIds(tx, [values])).get(structureKey(values));
    if (existing !== undefined && existing !== id) {
      throw AppError.form('invalid_structure', { name: 'Une structure de ce nom existe déjà dans ce département.' });
    }
    if (id === null) return (await insertStructures(tx, [values]))[0];
    await updateStructure(tx, id, values);
    await indexActions(tx, await listStructureActionIds(tx, id));
    return id;
  });
}
