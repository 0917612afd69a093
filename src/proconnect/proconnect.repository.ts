import type { Db, ProConnectDomainTable } from '../db/database.js';

/** A domain whose agents may sign in with ProConnect, and the role they get. */
export interface DomainRule {
  domain: string;
  role: ProConnectDomainTable['role'];
  departement_codes: string[];
}

/** Every allowed domain, alphabetically. */
export async function listDomains(db: Db): Promise<DomainRule[]> {
  return db
    .selectFrom('proconnect_domains')
    .select(['domain', 'role', 'departement_codes'])
    .orderBy('domain')
    .execute();
}

/** The rule of one domain, or undefined when its agents may not sign in. */
export async function findDomain(db: Db, domain: string): Promise<DomainRule | undefined> {
  return db
    .selectFrom('proconnect_domains')
    .select(['domain', 'role', 'departement_codes'])
    .where('domain', '=', domain)
    .executeTakeFirst();
}

/** Adds a domain, or changes its role. */
export async function saveDomain(db: Db, rule: DomainRule): Promise<void> {
  await db
    .insertInto('proconnect_domains')
    .values(rule)
    .onConflict((oc) => oc.column('domain').doUpdateSet({ role: rule.role, departement_codes: rule.departement_codes }))
    .execute();
}

/** Removes a domain: its agents' accounts stay, only new ones are no longer created. */
export async function deleteDomain(db: Db, domain: string): Promise<void> {
  await db.deleteFrom('proconnect_domains').where('domain', '=', domain).execute();
}

/** The account linked to a ProConnect identity, or undefined. */
export async function findUserIdBySub(db: Db, sub: string): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('id').where('proconnect_sub', '=', sub).executeTakeFirst();
  return row?.id;
}

/** The account of an address and the identity it is linked to, if any. */
export async function findLinkByEmail(db: Db, email: string) {
  return db.selectFrom('users').select(['id', 'proconnect_sub']).where('email', '=', email).executeTakeFirst();
}

/** Links an account to a ProConnect identity. */
export async function linkIdentity(db: Db, userId: number, sub: string): Promise<void> {
  await db.updateTable('users').set({ proconnect_sub: sub, updated_at: new Date() }).where('id', '=', userId).execute();
}
