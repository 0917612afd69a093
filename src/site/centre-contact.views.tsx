import type { PublicContact } from '../actions/structure-contact.js';
import type { FormErrors } from '../core/errors.js';
import { fichePath, structurePath } from '../core/paths.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { ContactDetails } from '../structures/contact-details.views.js';
import { CsrfField, ErrorSummary, Notice, TextArea, TextField } from '../web/forms.js';
import { Layout } from '../web/layout.js';

/** What the reader typed, shown again when the form is refused. */
export interface MessageValues {
  name: string;
  email: string;
  message: string;
}

/** The reader's name, address and message. */
function MessageForm(props: {
  action: string;
  csrf: string;
  ficheId?: number;
  values: MessageValues;
  errors: FormErrors;
}): JSX.Element {
  return (
    <form method="post" action={props.action} novalidate class="contact-form">
      <CsrfField token={props.csrf} />
      {props.ficheId ? <input type="hidden" name="fiche" value={String(props.ficheId)} /> : ''}
      <p safe>
        {frenchSpacing(
          'Votre message est transmis par e-mail au centre, qui vous répond à votre adresse. Son adresse ne vous est pas communiquée, ni la vôtre publiée ; une copie vous est envoyée. Essaim ne conserve pas le message.',
        )}
      </p>
      <TextField
        name="name"
        label="Votre nom *"
        value={props.values.name}
        autocomplete="name"
        maxlength={100}
        required
        error={props.errors.name}
      />
      <TextField
        name="email"
        label="Votre adresse e-mail *"
        type="email"
        value={props.values.email}
        autocomplete="email"
        maxlength={254}
        required
        hint="Le centre vous répondra à cette adresse."
        error={props.errors.email}
      />
      <TextArea
        name="message"
        label="Votre message *"
        value={props.values.message}
        rows={8}
        maxlength={5000}
        required
        hint={frenchSpacing(
          'Présentez-vous et dites ce que vous cherchez : reprendre l’action, une question, un partenariat…',
        )}
        error={props.errors.message}
      />
      <div class="form-actions">
        <button type="submit">Envoyer le message</button>
      </div>
    </form>
  );
}

/**
 * « Écrire à … »: the form that relays a reader's message to a centre, with what happens to it;
 * or, when the centre gave no address, its other contact details.
 */
export function CentreContactPage(props: {
  structure: { id: number; name: string };
  contact: PublicContact;
  fiche?: { id: number; title: string };
  csrf: string;
  values: MessageValues;
  errors?: FormErrors;
  sent?: boolean;
}): JSX.Element {
  const errors = props.errors ?? {};
  const { structure, fiche } = props;
  const title = `Écrire à ${structure.name}`;
  const base = `${structurePath(structure.id, structure.name)}/contact`;
  return (
    <Layout
      title={Object.keys(errors).length > 0 ? `Erreur — ${title}` : title}
      meta={{ canonical: base, noindex: true }}
    >
      <p class="kicker">Contacter le centre</p>
      <h1 safe>{title}</h1>
      {fiche ? (
        <p>
          {'À propos de la fiche '}
          <a href={fichePath(fiche.id, fiche.title)} safe>
            {quote(fiche.title)}
          </a>
        </p>
      ) : (
        ''
      )}
      <Notice
        message={
          props.sent
            ? 'Votre message a été envoyé au centre, qui vous répondra directement. Une copie vous a été envoyée.'
            : undefined
        }
      />
      <ErrorSummary errors={errors} />
      {props.contact.formUrl ? (
        <MessageForm action={base} csrf={props.csrf} ficheId={fiche?.id} values={props.values} errors={errors} />
      ) : (
        <p safe>
          {frenchSpacing('Ce centre n’a pas donné d’adresse où lui écrire : appelez-le ou passez par son site.')}
        </p>
      )}
      <h2>Autres moyens de le joindre</h2>
      <ContactDetails structure={structure} contact={{ ...props.contact, formUrl: null }} />
    </Layout>
  );
}
