import type { Db } from '../db/database.js';
import { getStructure, listStructureActions, listStructures } from './structures.repository.js';

export type StructureRow = NonNullable<Awaited<ReturnType<typeof getStructure>>>;

/** A structure and its fiches, or undefined when there is no structure with this id. */
export async function getStructureDetail(db: Db, id: number) {
  const structure = await getStructure(db, id);
  if (!structure) return undefined;
  return { structure, actions: await listStructureActions(db, id) };
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
