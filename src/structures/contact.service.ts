import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { can, type SessionUser } from '../authorization/authorization.js';
import { normalizeEmail } from '../core/email.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { communesOfPostalCode, findCommune } from '../vocabularies/communes.js';
import { getDepartement } from '../vocabularies/vocabularies.service.js';
import { getStructureContact, type StructureContactColumns, updateStructureContact } from './structures.repository.js';

/** The contact form's fields, named as the form names them. */
export const CONTACT_FIELDS = [
  'streetAddress',
  'postalCode',
  'commune',
  'phone',
  'website',
  'contactEmail',
  'contactRole',
  'contactName',
] as const;

/** The contact form's fields, as typed. */
export type ContactInput = Record<(typeof CONTACT_FIELDS)[number], string>;

/** What a posted form holds, every field present. */
export function contactInputFrom(body: Partial<Record<string, string>>): ContactInput {
  return Object.fromEntries(CONTACT_FIELDS.map((name) => [name, body[name] ?? ''])) as ContactInput;
}

const SHORT_MAX = 100;
const ADDRESS_MAX = 200;
const URL_MAX = 300;

/** A structure's contact details that `user` may change: 404 when there is none, 403 when not theirs. */
export async function contactToEdit(db: Db, user: SessionUser, id: number) {
  const structure = await getStructureContact(db, id);
  if (!structure) throw notFound('Cette structure n’existe pas, ou plus.');
  const placement = { structureId: structure.id, departementCode: structure.departement_code };
  if (!can(user, 'structure:contact', placement)) {
    throw new AppError(
      'forbidden',
      'Seuls les rédacteurs de cette structure et ses relecteurs changent ses coordonnées.',
    );
  }
  return structure;
}

/** What the form shows for stored details. */
export function contactInputOf(c: StructureContactColumns): ContactInput {
  return {
    streetAddress: c.street_address ?? '',
    postalCode: c.postal_code ?? '',
    commune: c.commune_name ?? '',
    phone: c.phone ?? '',
    website: c.website ?? '',
    contactEmail: c.contact_email ?? '',
    contactRole: c.contact_role ?? '',
    contactName: c.contact_name ?? '',
  };
}

const tidy = (value: string) => value.replace(/\s+/g, ' ').trim();

function checkLength(errors: FormErrors, field: string, value: string, max: number, label: string) {
  if (value.length > max)
    errors[field] = `${label} doit compter au plus ${max} caractères (il en compte ${value.length}).`;
}

// The commune of the postal code and name, in the structure's département.
async function checkCommune(db: Db, errors: FormErrors, input: ContactInput, departementCode: string) {
  const postalCode = input.postalCode.replace(/\s/g, '');
  const name = tidy(input.commune);
  if (postalCode === '' && name === '') return null;
  if (!/^\d{5}$/.test(postalCode)) {
    errors.postalCode = 'Le code postal compte cinq chiffres, par exemple 31000.';
    return null;
  }
  const candidates = communesOfPostalCode(postalCode);
  if (candidates.length === 0) {
    errors.postalCode = `Aucune commune n’a le code postal ${postalCode}.`;
    return null;
  }
  const commune = findCommune(postalCode, name);
  if (!commune) {
    const names = candidates.map((c) => `« ${c.name} »`).join(', ');
    errors.commune =
      name === ''
        ? `Indiquez la commune : le code postal ${postalCode} en dessert plusieurs (${names}).`
        : `Aucune commune « ${name} » n’a le code postal ${postalCode}. Ce code postal dessert : ${names}.`;
    return null;
  }
  if (commune.departementCode !== departementCode) {
    const [theirs, ours] = await Promise.all([
      getDepartement(db, commune.departementCode),
      getDepartement(db, departementCode),
    ]);
    errors.commune = `${commune.name} est dans le département ${theirs?.name ?? commune.departementCode} ; la structure est rattachée au département ${ours?.name ?? departementCode}.`;
    return null;
  }
  return { postalCode, commune };
}

function checkPhone(errors: FormErrors, raw: string): string | null {
  if (tidy(raw) === '') return null;
  const phone = parsePhoneNumberFromString(raw, 'FR');
  if (!phone?.isValid()) {
    errors.phone = 'Ce numéro de téléphone n’est pas valide : écrivez par exemple 05 61 22 33 44 ou +262 262 12 34 56.';
    return null;
  }
  // A French number as French people write it; another country's with its prefix.
  return phone.country === 'FR' ? phone.formatNational() : phone.formatInternational();
}

function checkWebsite(errors: FormErrors, raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (!url?.hostname.includes('.') || withScheme.length > URL_MAX) {
    errors.website = 'Cette adresse de site web n’est pas valide : écrivez par exemple https://www.centre-social.fr.';
    return null;
  }
  return url.href;
}

function checkEmail(errors: FormErrors, raw: string): string | null {
  if (raw.trim() === '') return null;
  try {
    return normalizeEmail(raw, 'contactEmail');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.contactEmail = error.message;
    return null;
  }
}

/**
 * Checks and stores a structure's contact details, for its editors and reviewers. The commune
 * is looked up by postal code and name in the official list and must be in the structure's
 * département; the telephone is written in the national format.
 */
export async function saveStructureContact(db: Db, user: SessionUser, id: number, input: ContactInput): Promise<void> {
  const structure = await contactToEdit(db, user, id);
  const errors: FormErrors = {};
  const streetAddress = tidy(input.streetAddress);
  checkLength(errors, 'streetAddress', streetAddress, ADDRESS_MAX, 'L’adresse');
  const place = await checkCommune(db, errors, input, structure.departement_code);
  const phone = checkPhone(errors, input.phone);
  const website = checkWebsite(errors, input.website);
  const contactEmail = checkEmail(errors, input.contactEmail);
  const contactRole = tidy(input.contactRole);
  const contactName = tidy(input.contactName);
  checkLength(errors, 'contactRole', contactRole, SHORT_MAX, 'La fonction');
  checkLength(errors, 'contactName', contactName, SHORT_MAX, 'Le nom');
  if (Object.keys(errors).length > 0) throw AppError.form('invalid_structure', errors);
  await inTransaction(db, async (tx) => {
    await contactToEdit(tx, user, id);
    await updateStructureContact(tx, id, {
      street_address: streetAddress || null,
      postal_code: place?.postalCode ?? null,
      commune_code: place?.commune.code ?? null,
      commune_name: place?.commune.name ?? null,
      phone,
      website,
      contact_email: contactEmail,
      contact_role: contactRole || null,
      contact_name: contactName || null,
    });
  });
}
