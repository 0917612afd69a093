import { Type } from 'typebox';
import { CONTENT_FIELDS, type FieldDef } from '../actions/fields.js';
import { FormBody, FormChoices, FormText, PathSegment } from '../web/route-schemas.js';
import { PARTNER_INPUTS } from './fiche-form.js';

// What the editor's and the review's forms send. The limits here only keep out what no form
// sends; the fiche's own rules (3 to 200 characters for a title…) are the service's, which
// names the field in French.

function inputs(def: FieldDef): Array<[string, ReturnType<typeof FormText> | typeof FormChoices]> {
  switch (def.kind) {
    case 'term':
      return [[def.key, FormText(200)]];
    case 'month':
      return [[def.key, FormText(40)]];
    case 'terms':
      return [[def.key, FormChoices]];
    case 'partners':
      return Object.values(PARTNER_INPUTS).map((name) => [name, FormChoices]);
    default:
      return [[def.key, FormText()]];
  }
}

/** The fiche in the editor: its fields, its version, and which button was pressed. */
export const FicheForm = FormBody({
  version: FormText(20),
  intent: FormText(40),
  structure: FormText(20),
  structureSearch: FormText(300),
  ...Object.fromEntries(CONTENT_FIELDS.flatMap(inputs)),
});

/** A button on a fiche's page that acts on the version the page showed. */
export const VersionForm = FormBody({ version: FormText(20) });

/** The reviewer's request for changes. */
export const CommentForm = FormBody({ comment: FormText() });

/** A fiche of the contributors' space, by its number. */
export const FicheParams = Type.Object({ id: PathSegment });
