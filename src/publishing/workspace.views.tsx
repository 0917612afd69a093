import { type FicheJson, longDay } from '../actions/actions.presenter.js';
import { FicheBody } from '../actions/actions.views.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { ConfirmButton } from '../freshness/freshness.views.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, FieldNotes, fieldId, Notice } from '../web/forms.js';
import { ChangesTable } from './history.views.js';
import type { FieldChange, WorkspaceActions } from './publishing.presenter.js';

/** The buttons of a fiche's page, those the user may press. */
function WorkspaceButtons(props: { base: string; csrf: string; version: number; actions: WorkspaceActions }) {
  const base = props.base;
  return (
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
      {props.actions.review && (
        <>
          <a href={`${base}/publier`} class="button-link">
            Publier
          </a>
          <a href={`${base}/corriger`} class="button-link secondary">
            Corriger et publier
          </a>
        </>
      )}
      {props.actions.archive && (
        <a href={`${base}/archiver`} class="button-link secondary">
          Archiver
        </a>
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
  );
}

/** The reviewer's form that sends a submitted fiche back to its structure with a comment. */
function ReviewForm(props: { base: string; csrf: string; comment?: string; error?: string }) {
  const base = props.base;
  return (
    <form method="post" action={`${base}/demander-modifications`} class="review-form" novalidate>
      <CsrfField token={props.csrf} />
      <div class={props.error ? 'field field-invalid' : 'field'}>
        <label for={fieldId('comment')}>Demander des modifications</label>
        <FieldNotes
          name="comment"
          hint="Ce qu’il faut changer avant publication : la structure le lira et sera prévenue par e-mail."
          error={props.error}
        />
        <textarea id={fieldId('comment')} name="comment" rows="4" aria-invalid={props.error ? 'true' : undefined} safe>
          {props.comment ?? ''}
        </textarea>
      </div>
      <button type="submit" class="secondary">
        Renvoyer à la structure
      </button>
    </form>
  );
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

/** What publishing or archiving does, said before it is done. */
const CONFIRMATIONS = {
  publier: {
    title: 'Publier cette fiche\u00a0?',
    button: 'Confirmer la publication',
    consequence:
      'Elle sera visible de tous\u00a0: dans la recherche, les statistiques, les exports et les alertes, sous le nom de sa structure.',
  },
  archiver: {
    title: 'Archiver cette fiche\u00a0?',
    button: 'Confirmer l’archivage',
    consequence:
      'Elle sera retirée de la recherche, des statistiques et des exports. Elle reste dans l’espace des contributeurs, où elle peut être restaurée.',
  },
} as const;

/** The step before publishing or archiving, which works without JavaScript: what it does, then the button. */
export function ConfirmPage(props: {
  user: SessionUser;
  csrf: string;
  id: number;
  title: string;
  place: string;
  step: keyof typeof CONFIRMATIONS;
}): JSX.Element {
  const text = CONFIRMATIONS[props.step];
  const back = `/espace/fiches/${props.id}`;
  return (
    <EspaceLayout title={text.title} user={props.user} csrf={props.csrf}>
      <p class="kicker" safe>
        {props.place}
      </p>
      <h1>{text.title}</h1>
      <p>
        <strong safe>{props.title}</strong>
      </p>
      <p>{text.consequence}</p>
      <form method="post" action={`${back}/${props.step}`} class="inline-form">
        <CsrfField token={props.csrf} />
        <button type="submit">{text.button}</button>
      </form>{' '}
      <a href={back}>Annuler et revenir à la fiche</a>
    </EspaceLayout>
  );
}

/** What an edit changes in the published version, word by word: what a reviewer reads first. */
function PendingChanges({ changes }: { changes?: FieldChange[] }): JSX.Element {
  if (!changes || changes.length === 0) return '';
  return (
    <section class="pending-changes" aria-labelledby="modifications">
      <h2 id="modifications">Modifications depuis la version publiée</h2>
      <ChangesTable changes={changes} caption="Champs modifiés depuis la version publiée" />
    </section>
  );
}

/** A published fiche's « À jour au », with the button that confirms it still holds. */
function FreshnessLine(props: { id: number; csrf: string; fiche: FicheJson }): JSX.Element {
  const day = longDay(props.fiche.upToDate);
  return (
    <div class="freshness-line">
      <p>
        {'À jour au '}
        <time datetime={props.fiche.upToDate} safe>
          {day}
        </time>
        {props.fiche.freshness === 'stale' ? <strong class="badge badge-stale">À vérifier</strong> : ''}
      </p>
      <ConfirmButton actionId={props.id} csrf={props.csrf} back={`/espace/fiches/${props.id}`} />
    </div>
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
  /** The fiche's structure and département, named. */
  place: string;
  /** For a published fiche with work in progress: what the work changes, field by field. */
  changes?: FieldChange[];
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
      <p class="meta" safe>
        {props.place}
      </p>
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
      {props.publicUrl ? <FreshnessLine id={props.id} csrf={props.csrf} fiche={props.preview} /> : ''}
      {props.actions.review ? (
        ''
      ) : (
        <WorkspaceButtons base={base} csrf={props.csrf} version={props.version} actions={props.actions} />
      )}
      <PendingChanges changes={props.changes} />
      <h2 class="preview-heading">Aperçu</h2>
      <article class="fiche preview">
        <FicheBody fiche={props.preview} />
      </article>
      {props.actions.review && (
        <section class="review-decision" aria-labelledby="decision">
          <h2 id="decision">Votre décision</h2>
          <WorkspaceButtons base={base} csrf={props.csrf} version={props.version} actions={props.actions} />
          <ReviewForm base={base} csrf={props.csrf} comment={props.comment} error={errors.comment} />
        </section>
      )}
    </EspaceLayout>
  );
}
