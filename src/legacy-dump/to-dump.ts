import type { StoredFiche } from '../actions/fiche.js';
import type { VocabularyTableName } from '../db/database.js';
import { dumpLabel, type ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { type DumpFiche, PLAIN_TEXT_KEYS } from './format.js';

// The source writes these optional labels only for a finished action and an "Autre" initiative.
const FINISHED_STATUS = 'terminee';
const OTHER_INITIATIVE = 'autre';

/** Maps a stored fiche to the dump's fields, with the labels the source uses. */
export function toDumpFiche(fiche: StoredFiche, ref: ReferenceIndex): DumpFiche {
  const label = (table: VocabularyTableName, code: string) => {
    const term = ref.terms[table].get(code);
    return term ? dumpLabel(term) : code;
  };
  const one = (table: VocabularyTableName, code: string | null) => (code === null ? null : label(table, code));
  const departement = ref.departements.get(fiche.structure.departementCode);
  return {
    line: 0,
    title: fiche.title,
    structureName: fiche.structure.name,
    departementName: departement?.name ?? fiche.structure.departementCode,
    attachments:
      fiche.hasAttachmentsLine || fiche.attachments.length > 0 ? fiche.attachments.map((a) => a.fileName) : null,
    status: one('statuses', fiche.status),
    endReason: fiche.status === FINISHED_STATUS || fiche.endReason !== null ? fiche.endReason : undefined,
    dimension: one('dimensions', fiche.dimension),
    keywords: fiche.keywords.map((c) => label('keywords', c)),
    initiatives: fiche.initiatives.map((c) => label('initiatives', c)),
    initiativeDetail:
      fiche.initiatives.includes(OTHER_INITIATIVE) || fiche.initiativeDetail !== null
        ? fiche.initiativeDetail
        : undefined,
    territory: one('territories', fiche.territory),
    publics: fiche.publics.map((c) => label('publics', c)),
    partners: fiche.partners.map((p) => ({ role: p.role, name: label('partners', p.code) })),
    partnersTerritory: one('territories', fiche.partnersTerritory),
    ...(Object.fromEntries(PLAIN_TEXT_KEYS.map((key) => [key, fiche[key]])) as Pick<
      DumpFiche,
      (typeof PLAIN_TEXT_KEYS)[number]
    >),
    labelLines: {},
  };
}
