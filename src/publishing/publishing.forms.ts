import { Type } from 'typebox';
import { FREE_TEXT_FIELDS, type FreeText } from '../actions/fiche.js';
import { FormBody, FormChoices, FormText, PathSegment } from '../web/route-schemas.js';

// What the editor's and the review's forms send. The limits here only keep out what no form
// sends; the fiche's own rules (3 to 200 characters for a title…) are the service's, which
// names the field in French.

const freeTexts = Object.fromEntries(FREE_TEXT_FIELDS.map((field) => [field, FormText()])) as Record<
  keyof FreeText,
  ReturnType<typeof FormText>
>;

/** The fiche in the editor: its fields, its version, and which button was pressed. */
export const FicheForm = FormBody({
  version: FormText(20),
  intent: FormText(20),
  structure: FormText(20),
  title: FormText(),
  status: FormText(200),
  endReason: FormText(),
  dimension: FormText(200),
  keywords: FormChoices,
  initiatives: FormChoices,
  initiativeDetail: FormText(),
  territory: FormText(200),
  publics: FormChoices,
  partnersAction: FormChoices,
  partnersFinancial: FormChoices,
  partnersTerritory: FormText(200),
  ...freeTexts,
});

/** A button on a fiche's page that acts on the version the page showed. */
export const VersionForm = FormBody({ version: FormText(20) });

/** The reviewer's request for changes. */
export const CommentForm = FormBody({ comment: FormText() });

/** A fiche of the contributors' space, by its number. */
export const FicheParams = Type.Object({ id: PathSegment });
