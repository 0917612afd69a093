import { emptyContent, type FicheContent } from '../actions/fiche.js';
import { quote } from '../core/typography.js';
import type { VocabularyTableName } from '../db/database.js';
import type { VocabularyResolver } from '../vocabularies/vocabularies.service.js';
import { type DumpFiche, type FieldKey, PLAIN_TEXT_KEYS } from './format.js';
import type { DumpProblem } from './parser.js';

// How a warning names each vocabulary: as the dump's label does.
const VOCABULARY_NAMES: Record<VocabularyTableName, string> = {
  statuses: 'Statut',
  dimensions: 'Dimension',
  keywords: 'Mots clés',
  initiatives: 'Initiative',
  territories: 'Territoire',
  publics: 'Public',
  partners: 'Partenaires',
};

/**
 * A dump's fiche in the catalogue's terms: its labels resolved to codes, a repeated value kept
 * once. A value no vocabulary knows is added to it, with a warning in `warnings` on its line.
 */
export function dumpFicheContent(
  fiche: DumpFiche,
  resolver: VocabularyResolver,
  warnings: DumpProblem[],
): Promise<FicheContent> {
  return toContent(fiche, resolverFor(resolver, fiche, warnings));
}

/** Resolves a fiche's labels to codes; a value no vocabulary knows is added, with a warning on its line. */
function resolverFor(resolver: VocabularyResolver, fiche: DumpFiche, warnings: DumpProblem[]): Resolve {
  return async (table, label, field) => {
    const { code, created } = await resolver.resolve(table, label);
    if (created) {
      warnings.push({
        line: fiche.labelLines[field] ?? fiche.line,
        fiche: fiche.title,
        message: `valeur inconnue ${quote(label)} ajoutée au vocabulaire ${quote(VOCABULARY_NAMES[table])}, à vérifier.`,
      });
    }
    return code;
  };
}

type Resolve = (table: VocabularyTableName, label: string, field: FieldKey) => Promise<string>;

async function toContent(fiche: DumpFiche, resolve: Resolve): Promise<FicheContent> {
  const one = (table: VocabularyTableName, label: string | null, field: FieldKey) =>
    label === null ? Promise.resolve(null) : resolve(table, label, field);
  const many = async (table: VocabularyTableName, labels: string[], field: FieldKey) => {
    const codes: string[] = [];
    for (const label of labels) {
      const code = await resolve(table, label, field);
      if (!codes.includes(code)) codes.push(code);
    }
    return codes;
  };
  const partners: FicheContent['partners'] = [];
  for (const p of fiche.partners) {
    const code = await resolve('partners', p.name, 'partners');
    if (!partners.some((q) => q.code === code && q.role === p.role)) partners.push({ code, role: p.role });
  }
  return {
    // A field the dump does not have starts empty.
    ...emptyContent(),
    title: fiche.title,
    legacyAttachmentNames: fiche.attachments ?? [],
    hasAttachmentsLine: fiche.attachments !== null,
    status: await one('statuses', fiche.status, 'status'),
    endReason: fiche.endReason ?? null,
    dimension: await one('dimensions', fiche.dimension, 'dimension'),
    keywords: await many('keywords', fiche.keywords, 'keywords'),
    initiatives: await many('initiatives', fiche.initiatives, 'initiatives'),
    initiativeDetail: fiche.initiativeDetail ?? null,
    territory: await one('territories', fiche.territory, 'territory'),
    publics: await many('publics', fiche.publics, 'publics'),
    partners,
    partnersTerritory: await one('territories', fiche.partnersTerritory, 'partnersTerritory'),
    ...Object.fromEntries(PLAIN_TEXT_KEYS.map((key) => [key, fiche[key]])),
  };
}
