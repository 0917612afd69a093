import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { FACET_NAMES, type FacetFilters } from '../search/facets.js';
import { countFiches } from '../search/search.presenter.js';
import { CsrfField, ErrorSummary, Notice, Radios, TextField } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { FREQUENCIES, FREQUENCY_LABELS } from './alerts.service.js';

/** A saved search as the pages show it. */
export interface AlertSummary {
  id: number;
  description: string;
  frequency: 'daily' | 'weekly';
  searchHref: string;
  confirmed: boolean;
}

const FREQUENCY_CHOICES = FREQUENCIES.map((code) => ({
  code,
  label: code === 'daily' ? 'Chaque jour (s’il y a du nouveau)' : 'Chaque semaine (s’il y a du nouveau)',
}));

/** The form that saves the current search with an alert. */
export function NewAlertPage(props: {
  csrf: string;
  description: string;
  total: number;
  q: string;
  filters: FacetFilters;
  signedInAs?: string;
  email?: string;
  frequency?: string;
  errors?: FormErrors;
}): JSX.Element {
  const errors = props.errors ?? {};
  return (
    <Layout title="Créer une alerte">
      <h1>Recevoir les nouvelles fiches de cette recherche</h1>
      <ErrorSummary errors={errors} />
      <p class="lead" safe>
        {props.description}
      </p>
      <p safe>
        {frenchSpacing(
          `Elle trouve aujourd’hui ${countFiches(props.total)}. Vous recevrez un e-mail quand de nouvelles fiches y correspondent, une seule fois par fiche.`,
        )}
      </p>
      <form method="post" action="/alertes" class="stack" novalidate>
        <CsrfField token={props.csrf} />
        {props.q ? <input type="hidden" name="q" value={props.q} /> : ''}
        {FACET_NAMES.flatMap((name) =>
          (props.filters[name] ?? []).map((code) => <input type="hidden" name={name} value={code} />),
        )}
        {props.signedInAs ? (
          <p safe>{frenchSpacing(`Les alertes seront envoyées à ${props.signedInAs}.`)}</p>
        ) : (
          <TextField
            name="email"
            label="Adresse e-mail"
            type="email"
            autocomplete="email"
            required
            value={props.email}
            error={errors.email}
            hint="Un e-mail vous demandera de confirmer : rien n’est envoyé sans votre accord."
          />
        )}
        <Radios
          name="frequency"
          legend="Fréquence"
          choices={FREQUENCY_CHOICES}
          value={props.frequency ?? 'weekly'}
          error={errors.frequency}
        />
        <button type="submit">Créer l’alerte</button>
      </form>
    </Layout>
  );
}

/** A page that tells what just happened to an alert, with a way on. */
export function AlertMessagePage(props: { title: string; message: string; description?: string }): JSX.Element {
  return (
    <Layout title={props.title}>
      <h1 safe>{props.title}</h1>
      <Notice message={props.message} />
      {props.description ? (
        <p class="lead" safe>
          {props.description}
        </p>
      ) : (
        ''
      )}
      <p>
        <a href="/actions">Rechercher une action</a>
      </p>
    </Layout>
  );
}

/** The confirmation an unsubscribe link asks for: one button. */
export function UnsubscribePage(props: { description: string; action: string }): JSX.Element {
  return (
    <Layout title="Se désabonner">
      <h1>Se désabonner de cette alerte</h1>
      <p class="lead" safe>
        {props.description}
      </p>
      <form method="post" action={props.action}>
        <button type="submit">Ne plus recevoir cette alerte</button>
      </form>
    </Layout>
  );
}

/** A signed-in user's alerts, each with a link to its search and a button to delete it. */
export function AlertsPage(props: { alerts: AlertSummary[]; csrf: string; notice?: string }): JSX.Element {
  return (
    <Layout title="Mes alertes">
      <h1>Mes alertes</h1>
      <Notice message={props.notice} />
      {props.alerts.length === 0 ? (
        <p>
          Vous n’avez pas d’alerte. Sous les résultats d’une recherche, « Recevoir les nouvelles fiches par e-mail » en
          crée une. <a href="/actions">Rechercher une action</a>
        </p>
      ) : (
        <ul class="alert-list">
          {props.alerts.map((alert) => (
            <li>
              <p>
                <a href={alert.searchHref} safe>
                  {alert.description}
                </a>
              </p>
              <p class="meta" safe>
                {`Envoyée ${FREQUENCY_LABELS[alert.frequency]}${alert.confirmed ? '' : ' (en attente de confirmation)'}`}
              </p>
              <form method="post" action={`/alertes/${alert.id}/supprimer`}>
                <CsrfField token={props.csrf} />
                <button type="submit" class="secondary">
                  Supprimer cette alerte
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
