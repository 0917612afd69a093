import { presentContact } from '../actions/structure-contact.js';
import { departementPath, fichePath, structurePath } from '../core/paths.js';
import type { getStructureDetail, StructureRow } from './structures.service.js';

/** "Centre social", "Espace de vie sociale", or null when the name does not say. */
export function structureKindLabel(kind: StructureRow['kind']): string | null {
  if (kind === 'centre_social') return 'Centre social';
  if (kind === 'evs') return 'Espace de vie sociale';
  return null;
}

/** A structure as the API lists it. */
export function presentStructure(row: StructureRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: structurePath(row.id, row.name),
    contact: presentContact(row, row),
    department: {
      code: row.departement_code,
      name: row.departement_name,
      url: departementPath(row.departement_code),
      region: { code: row.region_code, name: row.region_name },
    },
    actionCount: Number(row.action_count ?? 0),
  };
}

/** A structure with its fiches, as the API gives it. */
export function presentStructureDetail(detail: NonNullable<Awaited<ReturnType<typeof getStructureDetail>>>) {
  return {
    ...presentStructure(detail.structure),
    actions: detail.actions.map((a) => ({
      id: a.id,
      title: a.title,
      url: fichePath(a.id, a.title),
      status: a.status_code ? { code: a.status_code, label: a.status_label ?? a.status_code } : null,
    })),
  };
}
