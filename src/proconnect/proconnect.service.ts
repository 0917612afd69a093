import { findUserById, grantRoles, insertUser } from '../accounts/accounts.repository.js';
import { openSession, toSessionUser } from '../accounts/accounts.service.js';
import type { SessionUser } from '../authorization/authorization.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { type ProConnectIdentity, signInRefused } from './proconnect.client.js';
import { findDomain, findLinkByEmail, findUserIdBySub, linkIdentity } from './proconnect.repository.js';

/** How the account of a ProConnect sign-in was found. */
export type SignInOutcome = 'known' | 'linked' | 'created';

// The account of the identity: already linked, else the account of its address (linked now),
// else a new account if an administrator allowed the address's domain.
async function accountOf(tx: Db, identity: ProConnectIdentity): Promise<{ userId: number; outcome: SignInOutcome }> {
  const known = await findUserIdBySub(tx, identity.sub);
  if (known !== undefined) return { userId: known, outcome: 'known' };
  const existing = await findLinkByEmail(tx, identity.email);
  if (existing) {
    if (existing.proconnect_sub !== null) {
      throw signInRefused(`le compte ${quote(identity.email)} est déjà lié à une autre identité ProConnect.`);
    }
    await linkIdentity(tx, existing.id, identity.sub);
    return { userId: existing.id, outcome: 'linked' };
  }
  const domain = identity.email.slice(identity.email.lastIndexOf('@') + 1);
  const rule = await findDomain(tx, domain);
  if (!rule) {
    throw signInRefused(
      `les adresses en ${quote(`@${domain}`)} n’ont pas encore accès à Essaim par ProConnect. Demandez une invitation à l’équipe d’Essaim.`,
    );
  }
  const userId = await insertUser(tx, { email: identity.email, name: identity.name || identity.email, isAdmin: false });
  await linkIdentity(tx, userId, identity.sub);
  if (rule.role === 'reviewer')
    await grantRoles(tx, userId, { structureIds: [], departementCodes: rule.departement_codes });
  return { userId, outcome: 'created' };
}

/**
 * Opens a session for the agent ProConnect vouched for. The address must be verified: an
 * account is linked or created by its address, so an address nobody checked would open
 * someone else's account. Everything (link, account, roles, session) is written in one
 * transaction, or nothing.
 */
export async function signInWithProConnect(
  db: Db,
  identity: ProConnectIdentity,
): Promise<{ token: string; user: SessionUser; outcome: SignInOutcome }> {
  if (!identity.emailVerified) {
    throw signInRefused(
      `ProConnect ne garantit pas que l’adresse ${quote(identity.email)} est bien la vôtre. Vérifiez-la auprès de votre fournisseur d’identité, ou connectez-vous avec votre mot de passe.`,
    );
  }
  return inTransaction(db, async (tx) => {
    const { userId, outcome } = await accountOf(tx, identity);
    const user = await findUserById(tx, userId);
    if (!user || user.disabled_at !== null) throw signInRefused('ce compte est désactivé.');
    return { token: await openSession(tx, userId, identity.idToken), user: toSessionUser(user), outcome };
  });
}
