import type { SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { structurePath } from '../core/paths.js';
import { frenchSpacing } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { CsrfField, ErrorSummary, Notice, TextField } from '../web/forms.js';
import type { ContactInput } from './contact.service.js';

/** The address: street, postal code and commune. */
function AddressFields({ values: v, errors }: { values: ContactInput; errors: FormErrors }): JSX.Element {
  return (
    <fieldset class="field-group">
      <legend>Adresse</legend>
      <TextField
        name="streetAddress"
        label="Numéro et voie"
        value={v.streetAddress}
        maxlength={200}
        hint={frenchSpacing('Par exemple : 12 rue des Lilas, bâtiment B.')}
        error={errors.streetAddress}
      />
      <TextField name="postalCode" label="Code postal" value={v.postalCode} maxlength={5} error={errors.postalCode} />
      <TextField
        name="commune"
        label="Commune"
        value={v.commune}
        maxlength={100}
        hint="Vérifiée dans la liste officielle des communes, qui donne son code INSEE."
        error={errors.commune}
      />
    </fieldset>
  );
}

/** The relay address and the person to ask for. */
function ReachFields({ values: v, errors }: { values: ContactInput; errors: FormErrors }): JSX.Element {
  return (
    <>
      <TextField
        name="contactEmail"
        label="Adresse e-mail de contact"
        type="email"
        value={v.contactEmail}
        maxlength={254}
        hint={frenchSpacing(
          'Jamais affichée : le formulaire « Contacter le centre » y relaie les messages des lecteurs, qui reçoivent une copie et à qui vous répondez directement.',
        )}
        error={errors.contactEmail}
      />
      <TextField
        name="contactRole"
        label="Fonction de la personne à contacter"
        value={v.contactRole}
        maxlength={100}
        hint={frenchSpacing('Par exemple : accueil, référente familles, direction.')}
        error={errors.contactRole}
      />
      <TextField
        name="contactName"
        label="Nom de la personne à contacter"
        value={v.contactName}
        maxlength={100}
        hint={frenchSpacing('Seulement si cette personne accepte qu’il soit publié ; sinon la fonction suffit.')}
        error={errors.contactName}
      />
    </>
  );
}

/** The form of a structure's contact details, for its editors and reviewers. */
export function ContactFormPage(props: {
  user: SessionUser;
  csrf: string;
  structure: { id: number; name: string };
  values: ContactInput;
  errors?: FormErrors;
  notice?: string;
}): JSX.Element {
  const errors = props.errors ?? {};
  const title = `Coordonnées de ${props.structure.name}`;
  const v = props.values;
  return (
    <EspaceLayout
      title={Object.keys(errors).length > 0 ? `Erreur — ${title}` : title}
      user={props.user}
      csrf={props.csrf}
    >
      <h1 safe>{title}</h1>
      <Notice message={props.notice} />
      <ErrorSummary errors={errors} />
      <p>
        Elles paraissent sur{' '}
        <a href={structurePath(props.structure.id, props.structure.name)}>la page de la structure</a> et sur chacune de
        ses fiches, dans les exports et l’API. Tous les champs sont facultatifs.
      </p>
      <form method="post" action={`/espace/structures/${props.structure.id}/coordonnees`} novalidate>
        <CsrfField token={props.csrf} />
        <AddressFields values={v} errors={errors} />
        <TextField name="phone" label="Téléphone" type="tel" value={v.phone} maxlength={30} error={errors.phone} />
        <TextField
          name="website"
          label="Site web"
          type="url"
          value={v.website}
          maxlength={300}
          error={errors.website}
        />
        <ReachFields values={v} errors={errors} />
        <div class="form-actions">
          <button type="submit">Enregistrer les coordonnées</button>
          <a href={structurePath(props.structure.id, props.structure.name)}>Annuler</a>
        </div>
      </form>
    </EspaceLayout>
  );
}
