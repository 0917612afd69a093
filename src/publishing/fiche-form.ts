import {
  DETAIL_MAX,
  type FicheContent,
  FREE_TEXT_FIELDS,
  type FreeText,
  TEXT_MAX,
  TITLE_MAX,
  TITLE_MIN,
} from '../actions/fiche.js';
import type { FormErrors } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { VocabularyTableName } from '../db/database.js';
import type { ReferenceIndex } from '../vocabularies/vocabularies.service.js';

export { DETAIL_MAX, TEXT_MAX, TITLE_MAX, TITLE_MIN } from '../actions/fiche.js';
/** The status whose fiches say why they ended. */
export const ENDED_STATUS = 'terminee';
/** The initiative whose fiches say who, in "Précision (si autre)". */
export const OTHER_INITIATIVE = 'autre';

/** A form body as Fastify parses it: a repeated field is a list. */
export type FormBody = Record<string, string | string[] | undefined>;

/** A form field's single value: the first when it came several times, '' when absent. */
export const one = (value: string | string[] | undefined): string =>
  Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
const many = (value: string | string[] | undefined): string[] => [
  ...new Set((Array.isArray(value) ? value : value ? [value] : []).filter(Boolean)),
];

/** Free text as stored: line breaks normalised, trailing spaces kept out; null when empty. */
function text(value: string | string[] | undefined): string | null {
  const normalised = one(value).replace(/\r\n?/g, '\n').trim();
  return normalised === '' ? null : normalised;
}

/** A fiche with nothing filled in: the new fiche form. */
export function emptyFicheContent(): FicheContent {
  return {
    title: '',
    legacyAttachmentNames: [],
    hasAttachmentsLine: true,
    status: null,
    endReason: null,
    dimension: null,
    keywords: [],
    initiatives: [],
    initiativeDetail: null,
    territory: null,
    publics: [],
    partners: [],
    partnersTerritory: null,
    ...(Object.fromEntries(FREE_TEXT_FIELDS.map((f) => [f, null])) as FreeText),
  };
}

/**
 * Reads the editor form into a fiche's content and checks it: the messages, keyed by field,
 * say what is wrong in French. `previous` supplies what the form does not edit (the names of
 * attachments listed by a legacy dump).
 */
export function parseFicheForm(
  body: FormBody,
  ref: ReferenceIndex,
  previous: FicheContent | null,
): { content: FicheContent; errors: FormErrors } {
  const errors: FormErrors = {};
  const title = one(body.title).replace(/\s+/g, ' ').trim();
  if (title.length < TITLE_MIN || title.length > TITLE_MAX) {
    errors.title =
      title.length === 0
        ? 'Le titre est obligatoire.'
        : `Le titre doit compter de ${TITLE_MIN} à ${TITLE_MAX} caractères (il en compte ${title.length}).`;
  }
  const known = (table: VocabularyTableName, field: string, label: string, codes: string[]) => {
    const unknown = codes.filter((c) => !ref.terms[table].has(c));
    if (unknown.length > 0) errors[field] = `${label} : valeur inconnue ${quote(unknown[0])}.`;
    return codes.filter((c) => ref.terms[table].has(c));
  };
  const single = (table: VocabularyTableName, field: string, label: string) => {
    const code = one(body[field]);
    return code ? (known(table, field, label, [code])[0] ?? null) : null;
  };

  const status = single('statuses', 'status', 'Statut de l’action');
  const dimension = single('dimensions', 'dimension', 'Dimension');
  if (!dimension && !errors.dimension) errors.dimension = 'Choisissez la dimension de l’action.';
  const initiatives = known('initiatives', 'initiatives', 'Initiative', many(body.initiatives));
  const initiativeDetail = text(body.initiativeDetail);
  if (initiativeDetail && initiativeDetail.length > DETAIL_MAX) {
    errors.initiativeDetail = `La précision doit compter au plus ${DETAIL_MAX} caractères.`;
  }
  const endReason = status === ENDED_STATUS ? text(body.endReason) : null;
  const partnersAction = known('partners', 'partnersAction', 'Partenaire', many(body.partnersAction));
  const partnersFinancial = known(
    'partners',
    'partnersFinancial',
    'Partenaire financier',
    many(body.partnersFinancial),
  );

  const freeText = Object.fromEntries(FREE_TEXT_FIELDS.map((f) => [f, text(body[f])])) as FreeText;
  for (const [field, value] of Object.entries({ ...freeText, endReason })) {
    if (value && value.length > TEXT_MAX) {
      errors[field] =
        `Ce texte compte ${value.length.toLocaleString('fr-FR')} caractères ; ${TEXT_MAX.toLocaleString('fr-FR')} au plus.`;
    }
  }

  return {
    errors,
    content: {
      title,
      legacyAttachmentNames: previous?.legacyAttachmentNames ?? [],
      hasAttachmentsLine: previous?.hasAttachmentsLine ?? true,
      status,
      endReason,
      dimension,
      keywords: known('keywords', 'keywords', 'Mot clé', many(body.keywords)),
      initiatives,
      // The precision only means something for "Autre"; kept when the editor wrote one anyway.
      initiativeDetail,
      territory: single('territories', 'territory', 'Territoire concerné'),
      publics: known('publics', 'publics', 'Public', many(body.publics)),
      partners: [
        ...partnersAction.map((code) => ({ code, role: 'action' as const })),
        ...partnersFinancial.map((code) => ({ code, role: 'financial' as const })),
      ],
      partnersTerritory: single('territories', 'partnersTerritory', 'Territoire des partenaires'),
      ...freeText,
    },
  };
}
