import { type Children, escapeHtml } from '@kitajs/html';
import type { FicheJson } from '../actions/actions.presenter.js';
import { FicheBody } from '../actions/actions.views.js';
import type { FicheContent } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { type Choice, CsrfField, ErrorSummary, FieldNotes, fieldId, Notice, Radios, TextField } from '../web/forms.js';
import { DETAIL_MAX, ENDED_STATUS, OTHER_INITIATIVE, TEXT_MAX, TITLE_MAX } from './fiche-form.js';
import type { DiffSide, FormChoices, HistoryRow } from './publishing.presenter.js';

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** A date and time as French readers write it. */
export function formatDate(date: Date): string {
  return dateFormat.format(date);
}

function Checkboxes(props: {
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

function LongText(props: {
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

/** The editor form: every field of a fiche, in the source's order, with help and errors. */
export function EditorPage(props: {
  user: SessionUser;
  csrf: string;
  title: string;
  action: string;
  content: FicheContent;
  version: number;
  choices: FormChoices;
  structures?: Choice[];
  structureId?: number;
  structureName?: string;
  errors?: FormErrors;
  /** Set when the save was refused because someone saved first, with the fields where the two versions differ. */
  conflict?: { message: string; fields: string[] };
  cancel: string;
}): JSX.Element {
  const c = props.content;
  const e = props.errors ?? {};
  const partnerCodes = (role: 'action' | 'financial') => c.partners.filter((p) => p.role === role).map((p) => p.code);
  const pageTitle = Object.keys(e).length > 0 || props.conflict ? `Erreur — ${props.title}` : props.title;
  return (
    <EspaceLayout title={pageTitle} user={props.user} csrf={props.csrf}>
      <h1 safe>{props.title}</h1>
      {props.conflict ? (
        <div class="error-summary" role="alert" tabindex="-1">
          <h2>Enregistrement refusé</h2>
          <p safe>{frenchSpacing(props.conflict.message)}</p>
          {props.conflict.fields.length > 0 && (
            <p safe>
              {frenchSpacing(
                `Champs où votre version diffère de celle enregistrée : ${props.conflict.fields.join(', ')}.`,
              )}
            </p>
          )}
        </div>
      ) : (
        ''
      )}
      <ErrorSummary errors={e} />
      <p class="hint">
        Les champs marqués d’un astérisque (*) sont obligatoires. Tout le reste peut être complété plus tard.
      </p>
      <form method="post" action={props.action} novalidate class="editor">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="version" value={String(props.version)} />
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
        <Checkboxes
          name="publics"
          legend="Public"
          choices={props.choices.publics}
          values={c.publics}
          error={e.publics}
        />
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
        <div class="form-actions">
          <button type="submit" name="intent" value="save">
            Enregistrer le brouillon
          </button>
          <button type="submit" name="intent" value="submit" class="secondary">
            Enregistrer et soumettre à relecture
          </button>
          <a href={props.cancel}>Annuler</a>
        </div>
      </form>
    </EspaceLayout>
  );
}

/** A fiche's state in the workflow, as its editors and reviewers read it. */
export function stateLabel(publication: string, revisionState: string | null): string {
  const work =
    revisionState === 'submitted'
      ? 'en attente de relecture'
      : revisionState === 'changes_requested'
        ? 'modifications demandées'
        : revisionState === 'draft'
          ? 'brouillon'
          : null;
  if (publication === 'archived') return 'Archivée';
  if (publication === 'draft') return work ? work.charAt(0).toUpperCase() + work.slice(1) : 'Brouillon';
  return work ? `Publiée · modification ${work === 'brouillon' ? 'en cours' : work}` : 'Publiée';
}

/** A row of the lists of fiches in the space. */
export interface WorkRow {
  id: number;
  title: string;
  structureName: string;
  departement: string;
  state: string;
  date: Date | null;
}

function WorkTable(props: { caption: string; rows: WorkRow[]; dateHeading: string; children?: Children }) {
  return (
    <div class="table-scroll">
      <table>
        <caption safe>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Fiche</th>
            <th scope="col">Structure</th>
            <th scope="col">État</th>
            <th scope="col" safe>
              {props.dateHeading}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>
                <a href={`/espace/fiches/${r.id}`} safe>
                  {r.title}
                </a>
              </td>
              <td safe>{`${r.structureName} (${r.departement})`}</td>
              <td safe>{r.state}</td>
              <td>{r.date ? formatDate(r.date) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The fiches of the editor's structures, in every state. */
export function WorkListPage(props: {
  user: SessionUser;
  csrf: string;
  rows: WorkRow[];
  notice?: string;
}): JSX.Element {
  return (
    <EspaceLayout title="Mes fiches" user={props.user} csrf={props.csrf}>
      <h1>Mes fiches</h1>
      <Notice message={props.notice} />
      <p>
        <a href="/espace/fiches/nouvelle" class="button-link">
          Écrire une nouvelle fiche
        </a>
      </p>
      {props.rows.length === 0 ? (
        <p>Aucune fiche pour vos structures pour le moment.</p>
      ) : (
        <WorkTable
          caption={`${props.rows.length} fiche${props.rows.length > 1 ? 's' : ''}`}
          rows={props.rows}
          dateHeading="Dernière modification"
        />
      )}
    </EspaceLayout>
  );
}

/** The fiches waiting for the reviewer, oldest first. */
export function ReviewQueuePage(props: {
  user: SessionUser;
  csrf: string;
  rows: WorkRow[];
  notice?: string;
}): JSX.Element {
  return (
    <EspaceLayout title="Relecture" user={props.user} csrf={props.csrf}>
      <h1>Fiches à relire</h1>
      <Notice message={props.notice} />
      {props.rows.length === 0 ? (
        <p>Aucune fiche n’attend de relecture dans vos départements.</p>
      ) : (
        <WorkTable
          caption={`${props.rows.length} fiche${props.rows.length > 1 ? 's' : ''} en attente, la plus ancienne d’abord`}
          rows={props.rows}
          dateHeading="Soumise le"
        />
      )}
    </EspaceLayout>
  );
}

/** What the user may do on a fiche's page in the space. */
export interface WorkspaceActions {
  edit: boolean;
  submit: boolean;
  review: boolean;
  archive: boolean;
  restore: boolean;
  discard: 'delete' | 'abandon' | null;
}

function ActionButton(props: { csrf: string; action: string; label: string; version?: number; secondary?: boolean }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField token={props.csrf} />
      {props.version !== undefined && <input type="hidden" name="version" value={String(props.version)} />}
      <button type="submit" class={props.secondary ? 'secondary' : undefined} safe>
        {props.label}
      </button>
    </form>
  );
}

/** A fiche in the space: its state, the reviewer's comment, what may be done, and a preview. */
export function WorkspacePage(props: {
  user: SessionUser;
  csrf: string;
  id: number;
  state: string;
  publicUrl: string | null;
  reviewerComment: string | null;
  version: number;
  actions: WorkspaceActions;
  preview: FicheJson;
  notice?: string;
  errors?: FormErrors;
  comment?: string;
}): JSX.Element {
  const base = `/espace/fiches/${props.id}`;
  const errors = props.errors ?? {};
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? `Erreur — ${props.preview.title}` : props.preview.title}
      user={props.user}
      csrf={props.csrf}
    >
      <p class="kicker" safe>{`Fiche action · ${props.state}`}</p>
      <h1 safe>{props.preview.title}</h1>
      <Notice message={props.notice} />
      <ErrorSummary errors={errors} />
      {props.reviewerComment ? (
        <div class="review-comment">
          <h2>Modifications demandées par la relecture</h2>
          <p class="free-text" safe>
            {props.reviewerComment}
          </p>
        </div>
      ) : (
        ''
      )}
      <ul class="inline-links workspace-links">
        {props.publicUrl ? (
          <li>
            <a href={props.publicUrl}>Voir la fiche publiée</a>
          </li>
        ) : (
          ''
        )}
        <li>
          <a href={`${base}/historique`}>Historique</a>
        </li>
      </ul>
      <div class="workspace-actions">
        {props.actions.edit && (
          <>
            <a href={`${base}/modifier`} class="button-link">
              Modifier
            </a>
            <a href={`${base}/fichiers`} class="button-link secondary">
              Fichiers associés
            </a>
          </>
        )}
        {props.actions.submit && (
          <ActionButton
            csrf={props.csrf}
            action={`${base}/soumettre`}
            label="Soumettre à relecture"
            version={props.version}
          />
        )}
        {props.actions.review && <ActionButton csrf={props.csrf} action={`${base}/publier`} label="Publier" />}
        {props.actions.archive && (
          <ActionButton csrf={props.csrf} action={`${base}/archiver`} label="Archiver" secondary />
        )}
        {props.actions.restore && (
          <ActionButton csrf={props.csrf} action={`${base}/restaurer`} label="Restaurer" secondary />
        )}
        {props.actions.discard && (
          <ActionButton
            csrf={props.csrf}
            action={`${base}/supprimer`}
            label={props.actions.discard === 'delete' ? 'Supprimer ce brouillon' : 'Abandonner les modifications'}
            secondary
          />
        )}
      </div>
      {props.actions.review && (
        <form method="post" action={`${base}/demander-modifications`} class="review-form" novalidate>
          <CsrfField token={props.csrf} />
          <div class={errors.comment ? 'field field-invalid' : 'field'}>
            <label for={fieldId('comment')}>Demander des modifications</label>
            <FieldNotes
              name="comment"
              hint="Ce qu’il faut changer avant publication : la structure le lira et sera prévenue par e-mail."
              error={errors.comment}
            />
            <textarea
              id={fieldId('comment')}
              name="comment"
              rows="4"
              aria-invalid={errors.comment ? 'true' : undefined}
              safe
            >
              {props.comment ?? ''}
            </textarea>
          </div>
          <button type="submit" class="secondary">
            Renvoyer à la structure
          </button>
        </form>
      )}
      <h2 class="preview-heading">Aperçu</h2>
      <article class="fiche preview">
        <FicheBody fiche={props.preview} />
      </article>
    </EspaceLayout>
  );
}

// Removed words struck out, added ones underlined, each announced to screen readers too.
function DiffText(props: { side: DiffSide; mark: 'del' | 'ins' }): JSX.Element {
  return (
    <td class="free-text">
      {props.side.map((piece) => {
        if (!piece.changed) return escapeHtml(piece.text);
        const label = props.mark === 'del' ? 'supprimé\u00a0: ' : 'ajouté\u00a0: ';
        const inner = (
          <>
            <span class="visually-hidden">{label}</span>
            <span safe>{piece.text}</span>
          </>
        );
        return props.mark === 'del' ? <del>{inner}</del> : <ins>{inner}</ins>;
      })}
    </td>
  );
}

/** A fiche's history: who did what, when, with each field's old and new value. */
export function HistoryPage(props: { user: SessionUser; csrf: string; id: number; title: string; rows: HistoryRow[] }) {
  return (
    <EspaceLayout title={`Historique — ${props.title}`} user={props.user} csrf={props.csrf}>
      <p class="kicker">Historique</p>
      <h1 safe>{props.title}</h1>
      <p>
        <a href={`/espace/fiches/${props.id}`}>Retour à la fiche</a>
      </p>
      <ol class="history">
        {props.rows.map((r) => (
          <li>
            <h2>
              <span safe>{r.what}</span>
              <span class="meta" safe>{` — ${formatDate(r.at)}, ${r.actor}`}</span>
            </h2>
            {r.comment ? (
              <p class="free-text" safe>
                {r.comment}
              </p>
            ) : (
              ''
            )}
            {r.changes.length > 0 && (
              <div class="table-scroll">
                <table class="diff">
                  <caption class="visually-hidden">Champs modifiés</caption>
                  <thead>
                    <tr>
                      <th scope="col">Champ</th>
                      <th scope="col">Avant</th>
                      <th scope="col">Après</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.changes.map((c) => (
                      <tr>
                        <th scope="row" safe>
                          {c.field}
                        </th>
                        <DiffText side={c.before} mark="del" />
                        <DiffText side={c.after} mark="ins" />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </li>
        ))}
      </ol>
    </EspaceLayout>
  );
}
