import { sql } from 'kysely';
import type { AccountTokenTable, AuthAttemptTable, Db } from '../db/database.js';

/** A user with the roles that authorization needs. */
export interface UserRow {
  id: number;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: boolean;
  disabled_at: Date | null;
  created_at: Date;
  /** The linked ProConnect identity, if any. */
  proconnect_sub: string | null;
  structure_ids: number[];
  departement_codes: string[];
}

function usersWithRoles(db: Db) {
  return db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.email',
      'u.name',
      'u.password_hash',
      'u.is_admin',
      'u.disabled_at',
      'u.created_at',
      'u.proconnect_sub',
    ])
    .select([
      sql<number[]>`array(select structure_id from user_structures where user_id = u.id order by structure_id)`.as(
        'structure_ids',
      ),
      sql<string[]>`array(select departement_code from user_departements
        where user_id = u.id order by departement_code)`.as('departement_codes'),
    ]);
}

/** The user with this (lower-case) address, or undefined. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return usersWithRoles(db).where('u.email', '=', email).executeTakeFirst();
}

/** The user with this id, or undefined. */
export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return usersWithRoles(db).where('u.id', '=', id).executeTakeFirst();
}

/** Every user, by address. */
export async function listUsers(db: Db): Promise<UserRow[]> {
  return usersWithRoles(db).orderBy('u.email').execute();
}

/** Stores a new user without password; returns its id. */
export async function insertUser(db: Db, user: { email: string; name: string; isAdmin: boolean }): Promise<number> {
  const row = await db
    .insertInto('users')
    .values({ email: user.email, name: user.name, is_admin: user.isAdmin })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a user's name, password, admin flag or disabled date. */
export async function updateUser(
  db: Db,
  id: number,
  changes: Partial<{ name: string; password_hash: string; is_admin: boolean; disabled_at: Date | null }>,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Adds structures and départements to a user's roles; those already held are kept. */
export async function grantRoles(
  db: Db,
  userId: number,
  roles: { structureIds: number[]; departementCodes: string[] },
): Promise<void> {
  if (roles.structureIds.length > 0) {
    await db
      .insertInto('user_structures')
      .values(roles.structureIds.map((structure_id) => ({ user_id: userId, structure_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (roles.departementCodes.length > 0) {
    await db
      .insertInto('user_departements')
      .values(roles.departementCodes.map((departement_code) => ({ user_id: userId, departement_code })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Removes structures and départements from a user's roles. */
export async function revokeRoles(
  db: Db,
  userId: number,
  roles: { structureIds: number[]; departementCodes: string[] },
): Promise<void> {
  if (roles.structureIds.length > 0) {
    await db
      .deleteFrom('user_structures')
      .where('user_id', '=', userId)
      .where('structure_id', 'in', roles.structureIds)
      .execute();
  }
  if (roles.departementCodes.length > 0) {
    await db
      .deleteFrom('user_departements')
      .where('user_id', '=', userId)
      .where('departement_code', 'in', roles.departementCodes)
      .execute();
  }
}

/** Opens a session. */
export async function insertSession(
  db: Db,
  tokenHash: string,
  userId: number,
  expiresAt: Date,
  proconnectIdToken: string | null = null,
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt, proconnect_id_token: proconnectIdToken })
    .execute();
}

/** The user of a live session, with the session's dates; disabled users have none. */
export async function findSessionUser(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.user_id', 's.last_seen_at', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', new Date())
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Moves a session's expiry forward. */
export async function touchSession(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(), expires_at: expiresAt })
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** Ends one session. */
export async function deleteSession(
  db: Db,
  tokenHash: string,
): Promise<{ proconnect_id_token: string | null } | undefined> {
  return db
    .deleteFrom('sessions')
    .where('token_hash', '=', tokenHash)
    .returning('proconnect_id_token')
    .executeTakeFirst();
}

/** Ends every session of a user, for instance after a password change. */
export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Stores a single-use link's token. */
export async function insertAccountToken(
  db: Db,
  token: Pick<AccountTokenTable, 'token_hash' | 'user_id' | 'purpose' | 'expires_at'>,
): Promise<void> {
  await db.insertInto('account_tokens').values(token).execute();
}

/**
 * Marks a link used and returns its user, if it is of this purpose, unused and not expired.
 * One statement, so that two clicks cannot both use it.
 */
export async function consumeAccountToken(
  db: Db,
  tokenHash: string,
  purpose: AccountTokenTable['purpose'],
): Promise<number | undefined> {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** The state of a link, to tell its user why it no longer works. */
export async function findAccountToken(db: Db, tokenHash: string) {
  return db.selectFrom('account_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Makes every unused link of this purpose of a user unusable. */
export async function expireAccountTokens(db: Db, userId: number, purpose: AccountTokenTable['purpose']) {
  await db
    .updateTable('account_tokens')
    .set({ expires_at: new Date() })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** How many attempts of this kind a key made since a date. */
export async function countAuthAttempts(
  db: Db,
  attempt: Pick<AuthAttemptTable, 'kind' | 'scope' | 'key'>,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('auth_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', attempt.kind)
    .where('scope', '=', attempt.scope)
    .where('key', '=', attempt.key)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Counts the recent attempts of an account and of an IP and, when both are under their limits,
 * records this one in the same transaction, before the password is even checked: concurrent
 * attempts queue on a lock per account then per IP (always in that order, so never a deadlock),
 * so that thirty at once cannot all pass a limit of ten. Returns the recorded rows' ids, or null
 * when a limit is reached (nothing is recorded then).
 */
export async function recordAttemptWithin(
  tx: Db,
  attempt: { kind: AuthAttemptTable['kind']; accountKey: string; ip: string },
  limits: { since: Date; perAccount: number; perIp: number },
): Promise<string[] | null> {
  for (const lock of [`${attempt.kind}:account:${attempt.accountKey}`, `${attempt.kind}:ip:${attempt.ip}`]) {
    await sql`select pg_advisory_xact_lock(hashtext(${lock}))`.execute(tx);
  }
  const [byAccount, byIp] = await Promise.all([
    countAuthAttempts(tx, { kind: attempt.kind, scope: 'account', key: attempt.accountKey }, limits.since),
    countAuthAttempts(tx, { kind: attempt.kind, scope: 'ip', key: attempt.ip }, limits.since),
  ]);
  if (byAccount >= limits.perAccount || byIp >= limits.perIp) return null;
  const rows = await tx
    .insertInto('auth_attempts')
    .values([
      { kind: attempt.kind, scope: 'account', key: attempt.accountKey },
      { kind: attempt.kind, scope: 'ip', key: attempt.ip },
    ])
    .returning('id')
    .execute();
  return rows.map((r) => String(r.id));
}

/** Removes attempts recorded ahead of a check that then succeeded. */
export async function deleteAuthAttempts(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('auth_attempts').where('id', 'in', ids).execute();
}

/** Forgets the login failures of an account once it has logged in. */
export async function clearLoginFailures(db: Db, accountKey: string): Promise<void> {
  await db
    .deleteFrom('auth_attempts')
    .where('kind', '=', 'login_failure')
    .where('scope', '=', 'account')
    .where('key', '=', accountKey)
    .execute();
}

/** Deletes what no longer counts: expired sessions and links, attempts older than a date. */
export async function purgeExpired(db: Db, attemptsBefore: Date): Promise<void> {
  const now = new Date();
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  await db.deleteFrom('account_tokens').where('expires_at', '<', attemptsBefore).execute();
  await db.deleteFrom('auth_attempts').where('at', '<', attemptsBefore).execute();
}

/** A named secret, created with `value` if it does not exist yet; every process reads the same. */
export async function getOrCreateSecret(db: Db, name: string, value: string): Promise<string> {
  await db
    .insertInto('app_secrets')
    .values({ name, value })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await db.selectFrom('app_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
