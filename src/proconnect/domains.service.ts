import { can, type SessionUser } from '../authorization/authorization.js';
import { AppError, type FormErrors } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { type DomainRule, deleteDomain, listDomains, saveDomain } from './proconnect.repository.js';

/** What the form sends to allow a domain. */
export interface DomainForm {
  domain?: string;
  role?: string;
  departements?: string;
}

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

function adminOnly(user: SessionUser): void {
  if (!can(user, 'admin:manage', null)) {
    throw new AppError('forbidden', 'Les domaines de ProConnect sont réservés aux administrateurs.');
  }
}

/** The allowed domains, for an administrator. */
export async function domainsFor(db: Db, user: SessionUser): Promise<DomainRule[]> {
  adminOnly(user);
  return listDomains(db);
}

/**
 * Lets the agents of a domain sign in with ProConnect, as members (favourites, alerts) or as
 * reviewers of the départements given; a domain already allowed gets the new role, which
 * applies to the accounts created from now on (existing accounts keep theirs).
 */
export async function allowDomain(db: Db, user: SessionUser, form: DomainForm): Promise<DomainRule> {
  adminOnly(user);
  const errors: FormErrors = {};
  const domain = (form.domain ?? '').trim().toLowerCase().replace(/^@/, '');
  if (!DOMAIN.test(domain) || domain.length > 253) {
    errors.domain = 'Écrivez le domaine des adresses e-mail, par exemple caf.fr, sans @ ni espace.';
  }
  const role = form.role === 'reviewer' || form.role === 'member' ? form.role : undefined;
  if (!role) errors.role = 'Choisissez le rôle des agents de ce domaine.';
  const codes = [
    ...new Set(
      (form.departements ?? '')
        .toUpperCase()
        .split(/[\s,;]+/)
        .filter(Boolean),
    ),
  ];
  if (role === 'reviewer') {
    const { departements } = await loadReferenceIndex(db);
    const unknown = codes.filter((code) => !departements.has(code));
    if (codes.length === 0) {
      errors.departements =
        'Un relecteur relit les fiches d’au moins un département : donnez son code, par exemple 88.';
    } else if (unknown.length > 0) {
      errors.departements = `Département inconnu : ${unknown.map((code) => quote(code)).join(', ')}.`;
    }
  }
  if (Object.keys(errors).length > 0) throw AppError.form('invalid_parameter', errors);
  const rule: DomainRule = {
    domain,
    role: role as DomainRule['role'],
    departement_codes: role === 'reviewer' ? codes.sort() : [],
  };
  await saveDomain(db, rule);
  return rule;
}

/** Closes ProConnect to a domain's new agents; their accounts stay. */
export async function forbidDomain(db: Db, user: SessionUser, domain: string): Promise<void> {
  adminOnly(user);
  await deleteDomain(db, domain);
}
