import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { frenchSpacing } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, FieldNotes, fieldId, Notice, TextField } from '../web/forms.js';
import { Layout } from '../web/layout.js';
import { PASSWORD_MIN } from './accounts.service.js';

const passwordHint = `Au moins ${PASSWORD_MIN} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.`;

/** The login form. */
export function LoginPage(props: { csrf: string; email?: string; next?: string; errors?: FormErrors }): JSX.Element {
  const errors = props.errors ?? {};
  return (
    <Layout title={Object.keys(errors).length > 0 ? 'Erreur — Connexion' : 'Connexion'}>
      <div class="narrow">
        <h1>Connexion</h1>
        <p class="lead">
          Pour les centres sociaux, les espaces de vie sociale et les relecteurs qui publient les fiches.
        </p>
        <ErrorSummary errors={errors} />
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
              Indiquez l’adresse de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe.
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

/** A structure or département a role applies to, named. */
export interface NamedPlace {
  id: string;
  label: string;
  href?: string;
}

/** The home of the contributors' space: the user's roles and what they lead to. */
export function EspaceHomePage(props: {
  user: SessionUser;
  csrf: string;
  structures: NamedPlace[];
  departements: NamedPlace[];
  canInvite: boolean;
  notice?: string;
}): JSX.Element {
  const { user } = props;
  return (
    <EspaceLayout title="Mon espace" user={user} csrf={props.csrf}>
      <h1>Mon espace</h1>
      <Notice message={props.notice} />
      <h2>Vos rôles</h2>
      <ul>
        {user.isAdmin && <li>Administration du catalogue&#8239;: utilisateurs, vocabulaires, structures.</li>}
        {props.structures.length > 0 && (
          <li>
            Rédaction des fiches de&#8239;:
            <ul>
              {props.structures.map((s) => (
                <li>
                  {s.href ? (
                    <a href={s.href} safe>
                      {s.label}
                    </a>
                  ) : (
                    <span safe>{s.label}</span>
                  )}
                </li>
              ))}
            </ul>
          </li>
        )}
        {props.departements.length > 0 && (
          <li>
            Relecture des fiches des départements&#8239;:
            <ul>
              {props.departements.map((d) => (
                <li safe>{d.label}</li>
              ))}
            </ul>
          </li>
        )}
        {!user.isAdmin && props.structures.length === 0 && props.departements.length === 0 && (
          <li>Aucun rôle pour le moment&#8239;: demandez à un administrateur de vous en donner un.</li>
        )}
      </ul>
      {props.canInvite && (
        <p>
          <a href="/espace/invitations/nouvelle">Inviter une personne</a>
        </p>
      )}
    </EspaceLayout>
  );
}

/** Choices offered by the invitation form, limited to what the inviter may give. */
export interface InvitationChoices {
  roles: Array<'editor' | 'reviewer' | 'admin'>;
  structures: Array<{ group: string; options: NamedPlace[] }>;
  departements: NamedPlace[];
}

/** What the invitation form was filled with. */
export interface InvitationValues {
  email?: string;
  name?: string;
  role?: string;
  structure?: string;
  departement?: string;
}

const ROLE_LABELS = {
  editor: 'Rédaction des fiches d’une structure',
  reviewer: 'Relecture des fiches d’un département',
  admin: 'Administration du catalogue',
};

/** The form inviting someone by e-mail. */
export function InvitationPage(props: {
  user: SessionUser;
  csrf: string;
  choices: InvitationChoices;
  values?: InvitationValues;
  errors?: FormErrors;
  sent?: { email: string };
}): JSX.Element {
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  const role = values.role ?? props.choices.roles[0];
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? 'Erreur — Inviter une personne' : 'Inviter une personne'}
      user={props.user}
      csrf={props.csrf}
    >
      <h1>Inviter une personne</h1>
      {props.sent ? (
        <Notice>
          Invitation envoyée à <strong safe>{props.sent.email}</strong>.
        </Notice>
      ) : (
        ''
      )}
      <p class="lead">
        La personne reçoit un lien par e-mail, valable 7 jours, pour choisir son mot de passe. Si elle a déjà un compte,
        le rôle s’ajoute à ceux qu’elle a.
      </p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/espace/invitations" novalidate>
        <CsrfField token={props.csrf} />
        <TextField
          name="email"
          label="Adresse e-mail"
          type="email"
          value={values.email}
          required
          autocomplete="off"
          error={errors.email}
        />
        <TextField
          name="name"
          label="Nom (facultatif)"
          value={values.name}
          maxlength={120}
          error={errors.name}
          autocomplete="off"
        />
        <fieldset class={errors.role ? 'field field-invalid' : 'field'} id={fieldId('role')}>
          <legend>Rôle</legend>
          <FieldNotes name="role" error={errors.role} />
          {props.choices.roles.map((r) => (
            <div class="choice">
              <input type="radio" name="role" id={`role-${r}`} value={r} checked={role === r} />
              <label for={`role-${r}`} safe>
                {ROLE_LABELS[r]}
              </label>
            </div>
          ))}
        </fieldset>
        {props.choices.roles.includes('editor') && (
          <div class={errors.structure ? 'field field-invalid' : 'field'}>
            <label for={fieldId('structure')}>Structure (pour la rédaction)</label>
            <FieldNotes name="structure" error={errors.structure} />
            <select id={fieldId('structure')} name="structure" aria-invalid={errors.structure ? 'true' : undefined}>
              <option value="">— Choisir —</option>
              {props.choices.structures.map((g) => (
                <optgroup label={g.group}>
                  {g.options.map((o) => (
                    <option value={o.id} selected={values.structure === o.id} safe>
                      {o.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
        )}
        {props.choices.roles.includes('reviewer') && (
          <div class={errors.departement ? 'field field-invalid' : 'field'}>
            <label for={fieldId('departement')}>Département (pour la relecture)</label>
            <FieldNotes name="departement" error={errors.departement} />
            <select
              id={fieldId('departement')}
              name="departement"
              aria-invalid={errors.departement ? 'true' : undefined}
            >
              <option value="">— Choisir —</option>
              {props.choices.departements.map((d) => (
                <option value={d.id} selected={values.departement === d.id} safe>
                  {d.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit">Envoyer l’invitation</button>
      </form>
    </EspaceLayout>
  );
}

/** The admins' list of users and their roles. */
export function UsersPage(props: {
  user: SessionUser;
  csrf: string;
  users: Array<{ email: string; name: string; roles: string[]; state: string }>;
}): JSX.Element {
  return (
    <EspaceLayout title="Utilisateurs" user={props.user} csrf={props.csrf}>
      <h1>Utilisateurs</h1>
      <p>
        <a href="/espace/invitations/nouvelle">Inviter une personne</a>
      </p>
      <div class="table-scroll">
        <table>
          <caption safe>{`${props.users.length} compte${props.users.length > 1 ? 's' : ''}`}</caption>
          <thead>
            <tr>
              <th scope="col">Adresse</th>
              <th scope="col">Nom</th>
              <th scope="col">Rôles</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr>
                <td safe>{u.email}</td>
                <td safe>{u.name}</td>
                <td>
                  <ul class="plain-list">
                    {u.roles.map((r) => (
                      <li safe>{r}</li>
                    ))}
                  </ul>
                </td>
                <td safe>{u.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </EspaceLayout>
  );
}
