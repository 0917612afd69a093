import { extractBudget } from '../budgets/extract.js';
import { fichePath, filePath, structurePath } from '../core/paths.js';
import type { VocabularyTableName } from '../db/database.js';
import type { ReferenceIndex } from '../vocabularies/vocabularies.service.js';
import type { LinkedFiche, StoredFiche } from './fiche.js';
import { CONTENT_FIELDS, type FieldsJson, jsonPlace, type PartnerLink, type TermJson } from './fields.js';
import { upToDate } from './freshness.js';
import { presentContact } from './structure-contact.js';

export type { TermJson };

/** The fields of the content as the public JSON gives them, in the registry's order and groups. */
function presentFields(fiche: StoredFiche, ref: ReferenceIndex): FieldsJson {
  const term = (table: VocabularyTableName, code: string): TermJson => ({
    code,
    label: ref.terms[table].get(code)?.label ?? code,
  });
  const out: Record<string, unknown> = {};
  for (const def of CONTENT_FIELDS) {
    const value = (fiche as Record<string, unknown>)[def.key];
    const table = def.vocabulary ?? 'partners';
    const json =
      def.kind === 'term'
        ? value === null
          ? null
          : term(table, value as string)
        : def.kind === 'terms'
          ? (value as string[]).map((code) => term(table, code))
          : def.kind === 'partners'
            ? (value as PartnerLink[]).map((p) => ({ ...term(table, p.code), role: p.role }))
            : value;
    const { group, key } = jsonPlace(def);
    if (group === null) out[key] = json;
    else out[group] = { ...(out[group] as object), [key]: json };
  }
  return out as FieldsJson;
}

/** A fiche of the lineage, named and linked. */
function linkedJson(f: LinkedFiche) {
  return { id: f.id, title: f.title, url: fichePath(f.id, f.title), structure: f.structureName };
}

/** The public JSON shape of a fiche: every field, vocabulary values with code and label. */
export function presentFiche(fiche: StoredFiche, ref: ReferenceIndex) {
  const departement = ref.departements.get(fiche.structure.departementCode);
  return {
    id: fiche.id,
    url: fichePath(fiche.id, fiche.title),
    structure: {
      id: fiche.structure.id,
      name: fiche.structure.name,
      kind: fiche.structure.kind,
      url: structurePath(fiche.structure.id, fiche.structure.name),
      contact: fiche.structure.contact ? presentContact(fiche.structure, fiche.structure.contact) : null,
      department: {
        code: fiche.structure.departementCode,
        name: departement?.name ?? null,
        region: departement ? { code: departement.regionCode, name: departement.regionName } : null,
      },
    },
    attachments: fiche.attachments.map((a) => ({
      id: a.id,
      fileName: a.fileName,
      mediaType: a.mediaType,
      sizeBytes: a.sizeBytes,
      available: a.available,
      url: a.available ? filePath(a.id, a.fileName) : null,
    })),
    ...presentFields(fiche, ref),
    // Read from the text each time, by the same extractor that fills the stored budgets.
    budget: extractBudget(fiche.financialResources),
    inspiredBy: fiche.lineage?.inspiredBy ? linkedJson(fiche.lineage.inspiredBy) : null,
    inspired: (fiche.lineage?.inspired ?? []).map(linkedJson),
    createdAt: fiche.createdAt.toISOString(),
    publishedAt: fiche.publishedAt?.toISOString() ?? null,
    importedAt: fiche.importedAt?.toISOString() ?? null,
    // A fiche as its last import brought it has no date of change of its own.
    updatedAt:
      fiche.importedAt && fiche.updatedAt.getTime() <= fiche.importedAt.getTime()
        ? null
        : fiche.updatedAt.toISOString(),
    // « À jour au »: its last edit or its editors' confirmation that it still holds.
    upToDate: upToDate(fiche).toISOString(),
    freshness: fiche.freshness,
  };
}

export type FicheJson = ReturnType<typeof presentFiche>;

// Search engines show about 160 characters of a description.
const DESCRIPTION_MAX = 160;

/**
 * What a search engine or a link preview shows of a fiche: the start of its résumé, cut at a
 * word, or who led it when there is no résumé.
 */
export function ficheDescription(fiche: FicheJson): string {
  const summary = (fiche.summary ?? '').replace(/\s+/g, ' ').trim();
  if (summary === '') {
    const dep = fiche.structure.department;
    return `Fiche action de ${fiche.structure.name} (${dep.name ?? dep.code}) : ses objectifs, son public, son budget et ses résultats.`;
  }
  if (summary.length <= DESCRIPTION_MAX) return summary;
  return `${summary.slice(0, DESCRIPTION_MAX - 1).replace(/\s+\S*$/, '')}…`;
}

/** A day as French readers write it: « 6 décembre 2026 », in Paris time. */
export const longDay = (iso: string | Date) =>
  new Date(iso).toLocaleDateString('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });

/**
 * The fiche's dates as a reader is told them: « Publiée le 3 décembre 2026 », or « Date de
 * publication inconnue » for an imported fiche (its source gives none), then when it was
 * imported and last changed here. Each part has its ISO date, for a <time> element.
 */
export function ficheDates(fiche: FicheJson): Array<{ text: string; iso: string | null }> {
  const parts: Array<{ text: string; iso: string | null }> = [
    fiche.publishedAt
      ? { text: `Publiée le ${longDay(fiche.publishedAt)}`, iso: fiche.publishedAt }
      : { text: 'Date de publication inconnue', iso: null },
  ];
  if (fiche.importedAt) parts.push({ text: `importée le ${longDay(fiche.importedAt)}`, iso: fiche.importedAt });
  if (fiche.updatedAt) parts.push({ text: `mise à jour le ${longDay(fiche.updatedAt)}`, iso: fiche.updatedAt });
  return parts;
}
