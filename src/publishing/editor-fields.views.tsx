import type { FicheContent } from '../actions/fiche.js';
import { type FieldDef, TEXT_MAX, TITLE_MAX } from '../actions/fields.js';
import { budgetPreview } from '../budgets/summary.js';
import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { type Choice, describedBy, FieldNotes, fieldId, Radios, TextField } from '../web/forms.js';
import { PARTNER_INPUTS } from './fiche-form.js';
import type { FormChoices } from './publishing.presenter.js';
import type { StructureSearch } from './structure-choice.js';

/** A set of checkboxes for a vocabulary with several values, with its legend, hint and error. */
export function Checkboxes(props: {
  name: string;
  legend: string;
  choices: Choice[];
  values: string[];
  hint?: string;
  error?: string;
}): JSX.Element {
  return (
    <fieldset class={props.error ? 'field field-invalid' : 'field'} id={fieldId(props.name)}>
      <legend safe>{props.legend}</legend>
      <FieldNotes name={props.name} hint={props.hint} error={props.error} />
      <div class="choice-columns">
        {props.choices.map((c) => (
          <div class="choice">
            <input
              type="checkbox"
              name={props.name}
              id={`${props.name}-${c.code}`}
              value={c.code}
              checked={props.values.includes(c.code)}
            />
            <label for={`${props.name}-${c.code}`} safe>
              {c.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** A multi-line text field with its hint, error and a count of its characters. */
export function LongText(props: {
  name: string;
  label: string;
  value: string | null;
  hint?: string;
  error?: string;
  rows?: number;
}) {
  const id = fieldId(props.name);
  const limit = `${TEXT_MAX.toLocaleString('fr-FR')} caractères au plus.`;
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id} safe>
        {props.label}
      </label>
      <FieldNotes name={props.name} hint={props.hint ? `${props.hint} ${limit}` : limit} error={props.error} />
      <textarea
        id={id}
        name={props.name}
        rows={String(props.rows ?? 6)}
        data-maxlength={TEXT_MAX}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={[`${id}-aide`, props.error ? `${id}-erreur` : '', `${id}-compte`].filter(Boolean).join(' ')}
        safe
      >
        {props.value ?? ''}
      </textarea>
      <p class="char-count" id={`${id}-compte`} safe>
        {`${(props.value ?? '').length.toLocaleString('fr-FR')} caractère${(props.value ?? '').length > 1 ? 's' : ''}`}
      </p>
    </div>
  );
}

/**
 * What the catalogue will read from the resources text, by the same extractor, under the field:
 * the script updates it as the author types, so that a figure misread shows before saving.
 */
function BudgetPreview(props: { name: string; text: string | null }): JSX.Element {
  return (
    <p class="budget-preview" role="status" data-budget-of={fieldId(props.name)} safe>
      {budgetPreview(props.text)}
    </p>
  );
}

export interface FieldsProps {
  content: FicheContent;
  errors: FormErrors;
}

/**
 * A new fiche's structure among thousands: a part of its name, with suggestions from the
 * structures' API as it is typed (the script fills the list), and the candidates to choose from
 * when the name given fits several.
 */
export function StructureSearchField(props: { search: StructureSearch; error?: string }): JSX.Element {
  const id = fieldId('structure');
  const { candidates } = props.search;
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>Structure organisatrice *</label>
      <FieldNotes
        name="structure"
        hint={frenchSpacing(
          'Tapez une partie de son nom, puis choisissez-la parmi les propositions : « Rionet », « Montauban »…',
        )}
        error={props.error}
      />
      <input
        type="text"
        id={id}
        name="structureSearch"
        value={props.search.value}
        list="structures-proposees"
        autocomplete="off"
        maxlength="300"
        data-structure-search
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy('structure', true, props.error)}
      />
      <datalist id="structures-proposees">
        {candidates.map((c) => (
          <option value={c.label} />
        ))}
      </datalist>
      {candidates.length > 0 ? (
        <fieldset class="structure-candidates">
          <legend>Structures qui correspondent</legend>
          {candidates.map((c) => (
            <div class="choice">
              <input type="radio" name="structure" id={`structure-${c.code}`} value={c.code} />
              <label for={`structure-${c.code}`} safe>
                {c.label}
              </label>
            </div>
          ))}
        </fieldset>
      ) : (
        ''
      )}
    </div>
  );
}

/** The fiche's title and structure, and where its files are joined. */
export function IdentityFields(
  props: FieldsProps & {
    structures?: Choice[];
    structureId?: number;
    structureName?: string;
    structureSearch?: StructureSearch;
  },
): JSX.Element {
  const c = props.content;
  const e = props.errors;
  return (
    <>
      <div data-field="title">
        <TextField
          name="title"
          label="Titre de l’action *"
          value={c.title}
          required
          maxlength={TITLE_MAX}
          hint={frenchSpacing(
            `Ce que fait l’action, en quelques mots : « Atelier numérique pour les seniors ». De 3 à ${TITLE_MAX} caractères.`,
          )}
          error={e.title}
        />
      </div>
      {props.structureSearch ? (
        <StructureSearchField search={props.structureSearch} error={e.structure} />
      ) : props.structures ? (
        <div class={e.structure ? 'field field-invalid' : 'field'}>
          <label for={fieldId('structure')}>Structure organisatrice *</label>
          <FieldNotes name="structure" hint="Une des structures dont vous rédigez les fiches." error={e.structure} />
          <select id={fieldId('structure')} name="structure" aria-invalid={e.structure ? 'true' : undefined}>
            {props.structures.map((s) => (
              <option value={s.code} selected={String(props.structureId) === s.code} safe>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <p>
          Structure organisatrice&#8239;: <strong safe>{props.structureName ?? ''}</strong>
        </p>
      )}
      <p class="hint" safe>
        {frenchSpacing(
          props.structures
            ? 'Fichier(s) associé(s) : vous joindrez vos documents (PDF, images, Word, Excel…) une fois ce brouillon enregistré, depuis la page de la fiche.'
            : 'Fichier(s) associé(s) : ils se joignent et se retirent depuis la page de la fiche, bouton « Fichiers associés ».',
        )}
      </p>
    </>
  );
}

/** One field of the fiche's content as its kind asks: a text, a list of choices, a month. */
function ContentField(props: FieldsProps & { def: FieldDef; choices: FormChoices }): JSX.Element {
  const { def, content, errors } = props;
  const value = (content as Record<string, unknown>)[def.key];
  const label = frenchSpacing(def.label);
  const hint = def.help && frenchSpacing(def.help);
  const choices = props.choices[def.vocabulary ?? 'partners'];
  const input = () => {
    switch (def.kind) {
      case 'text':
        return (
          <>
            <LongText
              name={def.key}
              label={label}
              value={value as string | null}
              rows={def.rows}
              hint={hint}
              error={errors[def.key]}
            />
            {def.readsBudget ? <BudgetPreview name={def.key} text={value as string | null} /> : ''}
          </>
        );
      case 'line':
        return (
          <TextField
            name={def.key}
            label={label}
            value={(value as string | null) ?? ''}
            maxlength={def.max}
            hint={hint}
            error={errors[def.key]}
          />
        );
      case 'month':
        return (
          <TextField
            name={def.key}
            type="month"
            label={label}
            value={(value as string | null) ?? ''}
            hint={hint ?? 'Le mois et l’année, par exemple 09/2024.'}
            error={errors[def.key]}
          />
        );
      case 'term':
        return (
          <Radios
            name={def.key}
            legend={def.required ? `${label} *` : label}
            choices={choices}
            value={value as string | null}
            optional={!def.required}
            hint={hint}
            error={errors[def.key]}
          />
        );
      case 'terms':
        return (
          <Checkboxes
            name={def.key}
            legend={label}
            choices={choices}
            values={value as string[]}
            hint={hint}
            error={errors[def.key]}
          />
        );
      case 'partners':
        return <PartnerFields content={content} errors={errors} choices={choices} legend={label} />;
      default:
        return '';
    }
  };
  // data-field: the script counts a section's filled fields by these.
  return (
    <div data-field={def.key} data-show-if={def.showIf ? `${def.showIf.field}=${def.showIf.value}` : undefined}>
      {input()}
    </div>
  );
}

/** The partners of the action, by role: one set of checkboxes each. */
function PartnerFields(props: FieldsProps & { choices: Choice[]; legend: string }): JSX.Element {
  const codes = (role: 'action' | 'financial') =>
    props.content.partners.filter((p) => p.role === role).map((p) => p.code);
  return (
    <>
      <Checkboxes
        name={PARTNER_INPUTS.action}
        legend={`${props.legend} Partenaires d’action`}
        choices={props.choices}
        values={codes('action')}
        error={props.errors[PARTNER_INPUTS.action]}
      />
      <Checkboxes
        name={PARTNER_INPUTS.financial}
        legend="Partenaires financiers"
        choices={props.choices}
        values={codes('financial')}
        error={props.errors[PARTNER_INPUTS.financial]}
      />
    </>
  );
}

/** These fields of the fiche's content (the title aside, which IdentityFields holds), in this order. */
export function ContentFields(props: FieldsProps & { choices: FormChoices; fields: FieldDef[] }): JSX.Element {
  return (
    <>
      {props.fields
        .filter((def) => def.kind !== 'title')
        .map((def) => (
          <ContentField def={def} content={props.content} errors={props.errors} choices={props.choices} />
        ))}
    </>
  );
}
