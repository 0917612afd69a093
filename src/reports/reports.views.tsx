import type { StoredFiche } from '../actions/fiche.js';
import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { fichePath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { formatDate } from '../publishing/publishing.presenter.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, Notice, Radios, TextArea, TextField } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { REPORT_KINDS, type ReportInput, type reviewerReports } from './reports.service.js';

/** « Signaler une erreur » on a fiche: what is wrong, in a few words, and an address if they want an answer. */
export function ReportPage(props: {
  fiche: StoredFiche;
  csrf: string;
  values: ReportInput;
  errors?: FormErrors;
  sent?: boolean;
}): JSX.Element {
  const errors = props.errors ?? {};
  const path = fichePath(props.fiche.id, props.fiche.title);
  const title = 'Signaler une erreur';
  return (
    <Layout title={Object.keys(errors).length > 0 ? `Erreur — ${title}` : title} meta={{ noindex: true }}>
      <p class="kicker">Fiche action</p>
      <h1>{title}</h1>
      <p>
        <a href={path} safe>
          {quote(props.fiche.title)}
        </a>
        <span safe>{` — ${props.fiche.structure.name}`}</span>
      </p>
      <Notice
        message={
          props.sent
            ? 'Merci : votre signalement est transmis aux relecteurs du département de cette fiche.'
            : undefined
        }
      />
      <ErrorSummary errors={errors} />
      <p safe>
        {frenchSpacing(
          'Votre signalement va aux relecteurs du département de la fiche, qui la vérifient avec la structure. Aucun compte n’est nécessaire.',
        )}
      </p>
      <form method="post" action={`${path}/signaler`} novalidate>
        <CsrfField token={props.csrf} />
        <Radios
          name="kind"
          legend="Ce qui ne va pas *"
          choices={REPORT_KINDS}
          value={props.values.kind || null}
          error={errors.kind}
        />
        <TextArea
          name="text"
          label="Précisez *"
          value={props.values.text}
          rows={6}
          maxlength={3000}
          error={errors.text}
        />
        <TextField
          name="email"
          label="Votre adresse e-mail (facultatif)"
          type="email"
          value={props.values.email}
          autocomplete="email"
          hint="Pour savoir ce qu’il en est advenu ; elle est effacée une fois le signalement traité."
          error={errors.email}
        />
        {/* Left empty by people, who do not see it; robots fill every field. */}
        <div class="visually-hidden" aria-hidden="true">
          <label for="champ-website">Site web (à laisser vide)</label>
          <input id="champ-website" name="website" type="text" tabindex="-1" autocomplete="off" value="" />
        </div>
        <div class="form-actions">
          <button type="submit">Envoyer le signalement</button>
          <a href={path}>Retour à la fiche</a>
        </div>
      </form>
    </Layout>
  );
}

function reporterLine(email: string | null): string {
  return email ? `Le lecteur sera prévenu à ${email}.` : 'Le lecteur n’a pas laissé d’adresse.';
}

const KIND_LABELS = Object.fromEntries(REPORT_KINDS.map((k) => [k.code, k.label]));

/** The reviewer's queue of reports: personal data first, each with the form that closes it. */
export function ReportQueuePage(props: {
  user: SessionUser;
  csrf: string;
  reports: Awaited<ReturnType<typeof reviewerReports>>;
  notice?: string;
}): JSX.Element {
  return (
    <EspaceLayout title="Signalements" user={props.user} csrf={props.csrf}>
      <h1>Signalements des lecteurs</h1>
      <Notice message={props.notice} />
      {props.reports.length === 0 ? (
        <p>Aucun signalement en attente dans vos départements.</p>
      ) : (
        <ol class="report-list">
          {props.reports.map((r) => (
            <li class={r.kind === 'personal_data' ? 'report urgent' : 'report'}>
              <h2>
                {r.kind === 'personal_data' ? <strong class="badge badge-urgent">Urgent</strong> : ''}{' '}
                <span safe>{KIND_LABELS[r.kind]}</span>
              </h2>
              <p class="meta">
                <a href={fichePath(r.action_id, r.title)} safe>
                  {r.title}
                </a>
                <span safe>{` — ${r.structure_name} (${r.departement_code}) · ${formatDate(r.created_at)}`}</span>
              </p>
              <p class="free-text" safe>
                {r.text}
              </p>
              <p safe>{reporterLine(r.email)}</p>
              <form method="post" action={`/espace/signalements/${r.id}`} class="report-decision">
                <CsrfField token={props.csrf} />
                <TextField name={`note-${r.id}`} label="Note (facultative, envoyée au lecteur)" />
                <button type="submit" name="decision" value="handled">
                  Traité
                </button>{' '}
                <button type="submit" name="decision" value="rejected" class="secondary">
                  Rejeté
                </button>{' '}
                <a href={`/espace/fiches/${r.action_id}`}>Ouvrir la fiche dans l’espace</a>
              </form>
            </li>
          ))}
        </ol>
      )}
    </EspaceLayout>
  );
}
