import type { FicheContent } from '../actions/fiche.js';
import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { type Choice, FieldNotes, fieldId, Radios, TextField } from '../web/forms.js';
import { DETAIL_MAX, ENDED_STATUS, OTHER_INITIATIVE, TEXT_MAX, TITLE_MAX } from './fiche-form.js';
import type { FormChoices } from './publishing.presenter.js';

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

export interface FieldsProps {
  content: FicheContent;
  errors: FormErrors;
}

/** The fiche's title and structure, and where its files are joined. */
export function IdentityFields(
  props: FieldsProps & { structures?: Choice[]; structureId?: number; structureName?: string },
): JSX.Element {
  const c = props.content;
  const e = props.errors;
  return (
    <>
      <TextField
        name="title"
        label="Titre de l’action *"
        value={c.title}
        required
        maxlength={TITLE_MAX}
        hint={`Ce que fait l’action, en quelques mots : « Atelier numérique pour les seniors ». De 3 à ${TITLE_MAX} caractères.`}
        error={e.title}
      />
      {props.structures ? (
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

/** What the action is: its status, dimension, keywords, résumé and who started it. */
export function PurposeFields(props: FieldsProps & { choices: FormChoices }): JSX.Element {
  const c = props.content;
  const e = props.errors;
  return (
    <>
      <Radios
        name="status"
        legend="Statut de l’action"
        choices={props.choices.statuses}
        value={c.status}
        optional
        error={e.status}
      />
      <div data-show-if={`status=${ENDED_STATUS}`}>
        <LongText
          name="endReason"
          label="Raisons pour lesquelles l’action est terminée"
          value={c.endReason}
          rows={3}
          hint="À remplir si l’action est terminée : ce qui l’a arrêtée."
          error={e.endReason}
        />
      </div>
      <Radios
        name="dimension"
        legend="Dimension *"
        choices={props.choices.dimensions}
        value={c.dimension}
        hint="La dimension du projet social que l’action sert d’abord."
        error={e.dimension}
      />
      <Checkboxes
        name="keywords"
        legend="Mots clés associés à l’action"
        choices={props.choices.keywords}
        values={c.keywords}
        hint="Ce qui aidera à trouver la fiche : cochez-en deux ou trois."
        error={e.keywords}
      />
      <LongText
        name="summary"
        label="Résumé"
        value={c.summary}
        rows={4}
        hint="En quelques lignes : ce que l’action propose, à qui et pourquoi. C’est ce qu’on lit dans les résultats de recherche."
        error={e.summary}
      />
      <Checkboxes
        name="initiatives"
        legend="Qui est à l’initiative de l’action ?"
        choices={props.choices.initiatives}
        values={c.initiatives}
        error={e.initiatives}
      />
      <div data-show-if={`initiatives=${OTHER_INITIATIVE}`}>
        <TextField
          name="initiativeDetail"
          label="Précision (si autre)"
          value={c.initiativeDetail ?? ''}
          maxlength={DETAIL_MAX}
          hint="Si vous avez coché « Autre » : qui ?"
          error={e.initiativeDetail}
        />
      </div>
    </>
  );
}

/** How it was done: its territory, its story, its public and its partners. */
export function ExperienceFields(props: FieldsProps & { choices: FormChoices }): JSX.Element {
  const c = props.content;
  const e = props.errors;
  const partnerCodes = (role: 'action' | 'financial') => c.partners.filter((p) => p.role === role).map((p) => p.code);
  return (
    <>
      <Radios
        name="territory"
        legend="Territoire concerné"
        choices={props.choices.territories}
        value={c.territory}
        optional
        error={e.territory}
      />
      <LongText
        name="experience"
        label="Description de l’expérience, ses objectifs, ses acteurs et ses différentes phases"
        value={c.experience}
        rows={10}
        error={e.experience}
      />
      <Checkboxes name="publics" legend="Public" choices={props.choices.publics} values={c.publics} error={e.publics} />
      <Checkboxes
        name="partnersAction"
        legend="Avec qui cette action a-t-elle été menée ? Partenaires d’action"
        choices={props.choices.partners}
        values={partnerCodes('action')}
        error={e.partnersAction}
      />
      <Checkboxes
        name="partnersFinancial"
        legend="Partenaires financiers"
        choices={props.choices.partners}
        values={partnerCodes('financial')}
        error={e.partnersFinancial}
      />
      <Radios
        name="partnersTerritory"
        legend="Territoire concerné par le partenariat"
        choices={props.choices.territories}
        value={c.partnersTerritory}
        optional
        error={e.partnersTerritory}
      />
      <LongText
        name="generalDescription"
        label="Description générale"
        value={c.generalDescription}
        rows={8}
        error={e.generalDescription}
      />
    </>
  );
}

/** What it cost and brought: resources, people, results, limits and what comes next. */
export function ResultFields(props: FieldsProps): JSX.Element {
  const c = props.content;
  const e = props.errors;
  return (
    <>
      <LongText
        name="financialResources"
        label="Ressources financières mobilisées pour cette action"
        value={c.financialResources}
        hint="Le budget : total des charges, total des produits, financeurs et montants."
        error={e.financialResources}
      />
      <LongText
        name="peopleMobilised"
        label="Nombre de personnes mobilisées pour cette action"
        value={c.peopleMobilised}
        rows={3}
        hint="Salariés, bénévoles, partenaires, habitants : combien, et qui."
        error={e.peopleMobilised}
      />
      <LongText
        name="resultTerritory"
        label="Résultat sur le territoire"
        value={c.resultTerritory}
        error={e.resultTerritory}
      />
      <LongText
        name="resultCentre"
        label="Résultat pour le centre social"
        value={c.resultCentre}
        error={e.resultCentre}
      />
      <LongText
        name="resultInhabitants"
        label="Résultat pour les habitants"
        value={c.resultInhabitants}
        error={e.resultInhabitants}
      />
      <LongText name="limits" label="Suite de l’action : limites" value={c.limits} error={e.limits} />
      <LongText
        name="perspectives"
        label="Suite de l’action : perspectives"
        value={c.perspectives}
        error={e.perspectives}
      />
    </>
  );
}
