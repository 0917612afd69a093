import { structurePath } from '../core/paths.js';
import type { StructureTable } from '../db/database.js';

/** A structure's contact details as stored, without the relay address: whether it has one. */
export type ContactColumns = Pick<
  StructureTable,
  | 'street_address'
  | 'postal_code'
  | 'commune_code'
  | 'commune_name'
  | 'phone'
  | 'website'
  | 'contact_role'
  | 'contact_name'
> & { has_contact_email: boolean };

/** The public part of a structure's contact details: what pages and exports may show. */
export interface PublicContact {
  streetAddress: string | null;
  postalCode: string | null;
  commune: { code: string; name: string } | null;
  phone: string | null;
  website: string | null;
  role: string | null;
  name: string | null;
  /** The page whose form relays a message to the centre; null when it gave no address. */
  formUrl: string | null;
}

/** The page whose form writes to a structure, about one of its fiches when given. */
export function contactFormPath(structure: { id: number; name: string }, ficheId?: number): string {
  const path = `${structurePath(structure.id, structure.name)}/contact`;
  return ficheId === undefined ? path : `${path}?fiche=${ficheId}`;
}

/** The public contact details of a structure; never its relay address. */
export function presentContact(structure: { id: number; name: string }, c: ContactColumns): PublicContact {
  return {
    streetAddress: c.street_address,
    postalCode: c.postal_code,
    commune: c.commune_code && c.commune_name ? { code: c.commune_code, name: c.commune_name } : null,
    phone: c.phone,
    website: c.website,
    role: c.contact_role,
    name: c.contact_name,
    formUrl: c.has_contact_email ? contactFormPath(structure) : null,
  };
}

/** Whether a structure gave any way to reach it. */
export function hasContact(c: PublicContact): boolean {
  return Boolean(c.streetAddress || c.commune || c.phone || c.website || c.formUrl);
}
