import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { ProConnectButton } from '../proconnect/proconnect.views.js';
import { CsrfField, ErrorSummary, Notice, TextField } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { PASSWORD_MIN } from './accounts.service.js';

const passwordHint = `Au moins ${PASSWORD_MIN} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.`;

/** The login form. */
export function LoginPage(props: {
  csrf: string;
  email?: string;
  next?: string;
  errors?: FormErrors;
  proconnect?: boolean;
}): JSX.Element {
  const errors = props.errors ?? {};
  return (
    <Layout title={Object.keys(errors).length > 0 ? 'Erreur — Connexion' : 'Connexion'}>
      <div class="narrow">
        <h1>Connexion</h1>
        <p class="lead">
          Pour les centres sociaux, les espaces de vie sociale et les relecteurs qui publient les fiches.
        </p>
        <ErrorSummary errors={errors} />
        {props.proconnect && <ProConnectButton next={props.next} />}
        <form method="post" action="/connexion" novalidate>
          <CsrfField token={props.csrf} />
          {props.next ? <input type="hidden" name="suite" value={props.next} /> : ''}
          <TextField
            name="email"
            label="Adresse e-mail"
            type="email"
            value={props.email}
            autocomplete="username"
            required
            error={errors.email}
          />
          <TextField name="password" label="Mot de passe" type="password" autocomplete="current-password" required />
          <button type="submit">Se connecter</button>
        </form>
        <p>
          <a href="/mot-de-passe-oublie">Mot de passe oublié&#8239;?</a>
        </p>
      </div>
    </Layout>
  );
}

/** The form asking for a reset link, and the answer once asked. */
export function ForgotPasswordPage(props: { csrf: string; email?: string; sent?: boolean; errors?: FormErrors }) {
  const errors = props.errors ?? {};
  return (
    <Layout title="Mot de passe oublié">
      <div class="narrow">
        <h1>Mot de passe oublié</h1>
        {props.sent ? (
          <Notice message="Si un compte existe pour cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il est valable une heure." />
        ) : (
          <>
            <p class="lead">
              Indiquez l’adresse de votre compte&#160;: nous y enverrons un lien pour choisir un nouveau mot de passe.
            </p>
            <ErrorSummary errors={errors} />
            <form method="post" action="/mot-de-passe-oublie" novalidate>
              <CsrfField token={props.csrf} />
              <TextField
                name="email"
                label="Adresse e-mail"
                type="email"
                value={props.email}
                autocomplete="username"
                required
                error={errors.email}
              />
              <button type="submit">Recevoir le lien</button>
            </form>
          </>
        )}
        <p>
          <a href="/connexion">Retour à la connexion</a>
        </p>
      </div>
    </Layout>
  );
}

/** Choosing a password from a reset or invitation link; an invitation also asks for a name. */
export function SetPasswordPage(props: {
  csrf: string;
  purpose: 'reset' | 'invitation';
  action: string;
  email: string;
  name?: string;
  errors?: FormErrors;
}): JSX.Element {
  const errors = props.errors ?? {};
  const invitation = props.purpose === 'invitation';
  const title = invitation ? 'Activer votre compte' : 'Choisir un nouveau mot de passe';
  return (
    <Layout title={title}>
      <div class="narrow">
        <h1>{title}</h1>
        <p class="lead">
          Compte <strong safe>{props.email}</strong>
        </p>
        <ErrorSummary errors={errors} />
        <form method="post" action={props.action} novalidate>
          <CsrfField token={props.csrf} />
          {/* Lets password managers file the new password under the right account. */}
          <input type="hidden" name="username" value={props.email} autocomplete="username" />
          {invitation && (
            <TextField
              name="name"
              label="Votre nom"
              value={props.name}
              autocomplete="name"
              hint="Il accompagne vos fiches et vos relectures dans leur historique."
              maxlength={120}
              error={errors.name}
            />
          )}
          <TextField
            name="password"
            label="Mot de passe"
            type="password"
            autocomplete="new-password"
            hint={passwordHint}
            required
            error={errors.password}
          />
          <TextField
            name="confirmation"
            label="Le même mot de passe, encore une fois"
            type="password"
            autocomplete="new-password"
            required
            error={errors.confirmation}
          />
          <button type="submit">{invitation ? 'Activer mon compte' : 'Enregistrer le mot de passe'}</button>
        </form>
      </div>
    </Layout>
  );
}

/** The page of a link that no longer works. */
export function LinkGonePage(props: { message: string }): JSX.Element {
  return (
    <Layout title="Lien expiré">
      <div class="narrow">
        <h1>Lien expiré</h1>
        <p safe>{frenchSpacing(props.message)}</p>
        <p>
          Pour un mot de passe, <a href="/mot-de-passe-oublie">demandez un nouveau lien</a>. Pour une invitation,
          demandez à la personne qui vous a invité de la renouveler.
        </p>
      </div>
    </Layout>
  );
}
