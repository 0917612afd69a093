import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, Notice, Radios, TextField } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { TableScroll } from '../web/table-scroll.js';

/**
 * The ProConnect button, as the State's design system draws it: the agent's first way in,
 * above the password form, with a link that says what ProConnect is.
 */
export function ProConnectButton(props: { next?: string }): JSX.Element {
  const href = props.next ? `/connexion/proconnect?suite=${encodeURIComponent(props.next)}` : '/connexion/proconnect';
  return (
    <div class="proconnect">
      <p>Agents de la Caf, de la CARSAT, d’une fédération ou d’une administration&#8239;:</p>
      <p>
        <a class="button-link proconnect-button" href={href}>
          S’identifier avec ProConnect
        </a>
      </p>
      <p>
        <a href="https://www.proconnect.gouv.fr/" rel="noopener">
          Qu’est-ce que ProConnect&#8239;?
        </a>
      </p>
      <p class="separator">ou avec votre adresse et votre mot de passe</p>
    </div>
  );
}

/** Why a ProConnect sign-in did not open a session, with the ways to go on. */
export function ProConnectErrorPage(props: { message: string }): JSX.Element {
  return (
    <Layout title="Erreur — Connexion avec ProConnect" meta={{ noindex: true }}>
      <div class="narrow">
        <h1>Connexion avec ProConnect</h1>
        <Notice message={props.message} />
        <p>
          <a href="/connexion/proconnect">Recommencer avec ProConnect</a> ou{' '}
          <a href="/connexion">se connecter avec un mot de passe</a>.
        </p>
      </div>
    </Layout>
  );
}

/** A domain as the administrators' page lists it. */
export interface DomainRow {
  domain: string;
  role: string;
}

/** The allowed domains, each with its button to remove it. */
function DomainTable(p: { domains: DomainRow[]; csrf: string }): JSX.Element {
  const plural = p.domains.length > 1 ? 's' : '';
  const count = `${p.domains.length} domaine${plural} autorisé${plural}`;
  return (
    <TableScroll label={count}>
      <table>
        <caption safe>{count}</caption>
        <thead>
          <tr>
            <th scope="col">Domaine</th>
            <th scope="col">Rôle des nouveaux comptes</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {p.domains.map((d) => (
            <tr>
              <td safe>{`@${d.domain}`}</td>
              <td safe>{d.role}</td>
              <td>
                <form
                  method="post"
                  action={`/espace/proconnect/${encodeURIComponent(d.domain)}/retirer`}
                  class="inline-form"
                >
                  <CsrfField token={p.csrf} />
                  <button type="submit" class="secondary">
                    Retirer <span class="visually-hidden" safe>{`@${d.domain}`}</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The administrators' page: the e-mail domains whose agents may sign in with ProConnect. */
export function DomainsPage(props: {
  user: SessionUser;
  csrf: string;
  domains: DomainRow[];
  enabled: boolean;
  form?: { domain?: string; role?: string; departements?: string };
  errors?: FormErrors;
  saved?: boolean;
}): JSX.Element {
  const errors = props.errors ?? {};
  const form = props.form ?? {};
  return (
    <EspaceLayout
      title={`${Object.keys(errors).length > 0 ? 'Erreur — ' : ''}ProConnect`}
      user={props.user}
      csrf={props.csrf}
    >
      <h1>Connexion avec ProConnect</h1>
      {!props.enabled && (
        <Notice message="ProConnect n’est pas configuré sur ce site (PROCONNECT_ISSUER) : ces règles s’appliqueront quand il le sera." />
      )}
      {props.saved && <Notice message="Domaine enregistré : ses agents peuvent se connecter avec ProConnect." />}
      <p>
        Une personne dont le compte existe déjà se connecte avec ProConnect si son adresse vérifiée est la même. Pour
        les autres, un compte n’est créé que si le domaine de leur adresse figure ici, avec le rôle indiqué.
      </p>
      {props.domains.length > 0 ? (
        <DomainTable domains={props.domains} csrf={props.csrf} />
      ) : (
        <p>Aucun domaine pour l’instant&#8239;: seuls les comptes existants se connectent avec ProConnect.</p>
      )}
      <h2>Autoriser un domaine</h2>
      <ErrorSummary errors={errors} />
      <form method="post" action="/espace/proconnect" novalidate class="narrow">
        <CsrfField token={props.csrf} />
        <TextField
          name="domain"
          label="Domaine des adresses"
          hint="Par exemple caf.fr ou carsat-ne.fr, sans @."
          value={form.domain}
          required
          error={errors.domain}
          maxlength={253}
        />
        <Radios
          name="role"
          legend="Rôle des comptes créés"
          value={form.role ?? 'reviewer'}
          error={errors.role}
          choices={[
            { code: 'reviewer', label: 'Relecture des fiches des départements ci-dessous' },
            { code: 'member', label: 'Aucun rôle\u00a0: favoris et alertes seulement' },
          ]}
        />
        <TextField
          name="departements"
          label="Départements relus"
          hint={'Leurs codes, séparés par des virgules\u00a0: 88, 54, 2A. Seulement pour la relecture.'}
          value={form.departements}
          error={errors.departements}
          maxlength={500}
        />
        <button type="submit">Enregistrer le domaine</button>
      </form>
    </EspaceLayout>
  );
}
