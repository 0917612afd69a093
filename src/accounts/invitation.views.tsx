import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, FieldNotes, fieldId, Notice, TextField } from '../web/forms.js';
import type { NamedPlace } from './espace.views.js';

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

/** The role to give, and the structure or département it applies to. */
function RoleFields(props: {
  choices: InvitationChoices;
  values: InvitationValues;
  errors: FormErrors;
  role: string;
}): JSX.Element {
  const { values, errors, role } = props;
  return (
    <>
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
          <select id={fieldId('departement')} name="departement" aria-invalid={errors.departement ? 'true' : undefined}>
            <option value="">— Choisir —</option>
            {props.choices.departements.map((d) => (
              <option value={d.id} selected={values.departement === d.id} safe>
                {d.label}
              </option>
            ))}
          </select>
        </div>
      )}
    </>
  );
}

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
        <RoleFields choices={props.choices} values={values} errors={errors} role={role} />
        <button type="submit">Envoyer l’invitation</button>
      </form>
    </EspaceLayout>
  );
}
