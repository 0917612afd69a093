import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { contactFormPath, type PublicContact } from '../actions/structure-contact.js';
import { frenchSpacing } from '../core/typography.js';

/** A telephone link a phone dials: the number in its international form. */
function PhoneLink(props: { phone: string }): JSX.Element {
  const uri = parsePhoneNumberFromString(props.phone, 'FR')?.getURI();
  return uri ? (
    <a href={uri} safe>
      {props.phone}
    </a>
  ) : (
    <span safe>{props.phone}</span>
  );
}

/** The site's host name, which says more in a list than « Site web ». */
function siteLabel(website: string): string {
  try {
    return new URL(website).hostname.replace(/^www\./, '');
  } catch {
    return website;
  }
}

/** « Accueil (Nadia Benali) », or what of it the centre gave. */
function contactPerson(c: PublicContact): string | null {
  if (c.role && c.name) return `${c.role} (${c.name})`;
  return c.role ?? c.name;
}

/** The button to the form that relays a message to the centre, about a fiche when given. */
export function ContactButton(props: {
  structure: { id: number; name: string };
  contact: PublicContact;
  ficheId?: number;
}): JSX.Element {
  if (!props.contact.formUrl) return '';
  return (
    <a class="button-link contact-button" href={contactFormPath(props.structure, props.ficheId)}>
      Contacter le centre
    </a>
  );
}

/**
 * A structure's public contact details: address, telephone, website, the person to ask for, and
 * the way to write to it. `compact` leaves out the street, for the fiche's panel.
 */
export function ContactDetails(props: {
  structure: { id: number; name: string };
  contact: PublicContact;
  compact?: boolean;
  ficheId?: number;
}): JSX.Element {
  const c = props.contact;
  const place = c.commune ? `${c.postalCode ?? ''} ${c.commune.name}`.trim() : null;
  const person = contactPerson(c);
  const street = props.compact ? null : c.streetAddress;
  return (
    <div class="contact-details">
      {street || place ? (
        <p class="contact-address">
          {street ? (
            <>
              <span safe>{street}</span>
              <br />
            </>
          ) : (
            ''
          )}
          {place ? <span safe>{place}</span> : ''}
        </p>
      ) : (
        ''
      )}
      <ul class="plain-list">
        {c.phone ? (
          <li>
            <span>{'Téléphone\u00a0: '}</span>
            <PhoneLink phone={c.phone} />
          </li>
        ) : (
          ''
        )}
        {c.website ? (
          <li>
            <span>{'Site web\u00a0: '}</span>
            <a href={c.website} safe>
              {siteLabel(c.website)}
            </a>
          </li>
        ) : (
          ''
        )}
        {person ? <li safe>{frenchSpacing(`Contact : ${person}`)}</li> : ''}
      </ul>
      <ContactButton structure={props.structure} contact={c} ficheId={props.ficheId} />
    </div>
  );
}
