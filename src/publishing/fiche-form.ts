import type { FicheContent } from '../actions/fiche.js';
import { CONTENT_FIELDS, type FieldDef, parseMonth, shortLabel, TITLE_MAX, TITLE_MIN } from '../actions/fields.js';
import type { FormErrors } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { ReferenceIndex } from '../vocabularies/vocabularies.service.js';

/** A form body as Fastify parses it: a repeated field is a list. */
export type FormBody = Record<string, string | string[] | undefined>;

/** The form's names of a fiche's partners, by role. */
export const PARTNER_INPUTS = { action: 'partnersAction', financial: 'partnersFinancial' } as const;

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

type Read = (def: FieldDef) => unknown;

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
  const known = (def: FieldDef, name: string, codes: string[]) => {
    const table = ref.terms[def.vocabulary ?? 'partners'];
    const unknown = codes.filter((c) => !table.has(c));
    if (unknown.length > 0) errors[name] = `${shortLabel(def)} : valeur inconnue ${quote(unknown[0])}.`;
    return codes.filter((c) => table.has(c));
  };
  const read: Record<FieldDef['kind'], Read> = {
    title: (def) => {
      const title = one(body[def.key]).replace(/\s+/g, ' ').trim();
      if (title.length < TITLE_MIN || title.length > TITLE_MAX) {
        errors[def.key] =
          title.length === 0
            ? 'Le titre est obligatoire.'
            : `Le titre doit compter de ${TITLE_MIN} à ${TITLE_MAX} caractères (il en compte ${title.length}).`;
      }
      return title;
    },
    text: (def) => longText(def, text(body[def.key]), errors),
    line: (def) => longText(def, text(body[def.key]), errors),
    month: (def) => {
      const input = one(body[def.key]).trim();
      const month = input === '' ? null : parseMonth(input);
      if (input !== '' && month === null) {
        errors[def.key] = `${def.label} : indiquez le mois et l’année, par exemple 09/2024 (reçu ${quote(input)}).`;
      }
      return month;
    },
    term: (def) => {
      const code = one(body[def.key]);
      return code ? (known(def, def.key, [code])[0] ?? null) : null;
    },
    terms: (def) => known(def, def.key, many(body[def.key])),
    partners: (def) =>
      (['action', 'financial'] as const).flatMap((role) =>
        known(def, PARTNER_INPUTS[role], many(body[PARTNER_INPUTS[role]])).map((code) => ({ code, role })),
      ),
    structure: () => null,
    attachments: () => null,
  };
  const values: Record<string, unknown> = {};
  for (const def of CONTENT_FIELDS) {
    values[def.key] = read[def.kind](def);
    if (def.required && isEmpty(values[def.key]) && !errors[def.key]) errors[def.key] = def.required;
  }
  for (const def of CONTENT_FIELDS) {
    const condition = def.showIf;
    if (condition?.clears && ![values[condition.field]].flat().includes(condition.value)) values[def.key] = null;
  }
  return {
    errors,
    content: {
      ...(values as FicheContent),
      legacyAttachmentNames: previous?.legacyAttachmentNames ?? [],
      hasAttachmentsLine: previous?.hasAttachmentsLine ?? true,
    },
  };
}

function isEmpty(value: unknown): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function longText(def: FieldDef, value: string | null, errors: FormErrors): string | null {
  const max = def.max ?? Number.POSITIVE_INFINITY;
  if (value && value.length > max) {
    errors[def.key] =
      def.kind === 'line'
        ? `${def.label} : ${max.toLocaleString('fr-FR')} caractères au plus.`
        : `Ce texte compte ${value.length.toLocaleString('fr-FR')} caractères ; ${max.toLocaleString('fr-FR')} au plus.`;
  }
  return value;
}
