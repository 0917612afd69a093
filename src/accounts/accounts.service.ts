import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { SessionUser } from '../authorization/authorization.js';
import { normalizeEmail } from '../core/email.js';
import { AppError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Background } from '../jobs/background.js';
import type { Mailer } from '../mail/mailer.js';
import {
  clearLoginFailures,
  consumeAccountToken,
  deleteAuthAttempts,
  deleteSession,
  deleteUserSessions,
  expireAccountTokens,
  findAccountToken,
  findSessionUser,
  findUserByEmail,
  findUserById,
  getOrCreateSecret,
  insertAccountToken,
  insertSession,
  purgeExpired,
  recordAttemptWithin,
  touchSession,
  type UserRow,
  updateUser,
} from './accounts.repository.js';
import { weakPasswordReason } from './password-strength.js';

const MINUTE = 60_000;

const HOUR = 60 * MINUTE;

const DAY = 24 * HOUR;

/** A session lasts two weeks after the last visit. */
export const SESSION_TTL_MS = 14 * DAY;

const TOUCH_AFTER_MS = HOUR;

const RESET_TTL_MS = HOUR;

export const INVITATION_TTL_MS = 7 * DAY;

const LOGIN_WINDOW_MS = 15 * MINUTE;

const LOGIN_MAX_PER_ACCOUNT = 10;

const LOGIN_MAX_PER_IP = 50;

const RESET_WINDOW_MS = HOUR;

const RESET_MAX_PER_ACCOUNT = 3;

const RESET_MAX_PER_IP = 20;

export const PASSWORD_MIN = 12;

const PASSWORD_MAX = 200;

const NAME_MAX = 120;

/** A random token for a cookie or a link, and the hash the database keeps of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** The hash the database keeps of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Checks a new password's length; throws with a message for the password field. */
function checkPassword(password: string, confirmation: string | undefined): void {
  if (password.length < PASSWORD_MIN) {
    throw new AppError(
      'weak_password',
      `Le mot de passe doit compter au moins ${PASSWORD_MIN} caractères.`,
      'password',
    );
  }
  if (password.length > PASSWORD_MAX) {
    throw new AppError(
      'invalid_password',
      `Le mot de passe doit compter au plus ${PASSWORD_MAX} caractères.`,
      'password',
    );
  }
  if (confirmation !== undefined && confirmation !== password) {
    throw new AppError('password_mismatch', 'Les deux mots de passe ne sont pas identiques.', 'confirmation');
  }
}

/** A person's name as typed, trimmed; refused (field « name ») when longer than the limit. */
export function checkName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length > NAME_MAX) {
    throw new AppError('invalid_name', `Le nom doit compter au plus ${NAME_MAX} caractères.`, 'name');
  }
  return trimmed;
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verified when the address has no account, so that the answer takes as long either way.
let dummyHash: Promise<string> | undefined;

/** What a request knows of its signed-in user. */
export function toSessionUser(row: UserRow): SessionUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin,
    structureIds: row.structure_ids,
    departementCodes: row.departement_codes,
  };
}

const tooMany = (message: string) => new AppError('too_many_attempts', message, 'email');

/**
 * Checks an address and password and opens a session; returns the session's token. Wrong
 * credentials, unknown addresses, accounts not yet activated and disabled ones all get the same
 * answer; after too many failures for an account or an address, even the right password waits.
 */
export async function logIn(
  db: Db,
  input: { email: string; password: string; ip: string },
): Promise<{ token: string; user: SessionUser }> {
  const accountKey = input.email.trim().toLowerCase();
  // Recorded as a failure before the password is checked, so that concurrent attempts count.
  const attempt = await inTransaction(db, (tx) =>
    recordAttemptWithin(
      tx,
      { kind: 'login_failure', accountKey, ip: input.ip },
      { since: new Date(Date.now() - LOGIN_WINDOW_MS), perAccount: LOGIN_MAX_PER_ACCOUNT, perIp: LOGIN_MAX_PER_IP },
    ),
  );
  if (!attempt) {
    throw tooMany(
      'Trop de tentatives de connexion ont échoué. Par sécurité, réessayez dans 15 minutes ou choisissez « Mot de passe oublié ».',
    );
  }
  const user = await findUserByEmail(db, accountKey);
  const usable = user && user.password_hash !== null && user.disabled_at === null;
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const hash = usable ? (user.password_hash as string) : await dummyHash;
  const matches = await argon2.verify(hash, input.password).catch(() => false);
  if (!usable || !matches) {
    throw new AppError('invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.', 'email');
  }
  // A success clears the account's failures; the IP's earlier ones still count against it.
  await clearLoginFailures(db, accountKey);
  await deleteAuthAttempts(db, attempt);
  return { token: await openSession(db, user.id), user: toSessionUser(user) };
}

/** Opens a session for a user whose identity was checked; returns the cookie's token. */
export async function openSession(db: Db, userId: number, proconnectIdToken: string | null = null): Promise<string> {
  const { token, hash } = newToken();
  await insertSession(db, hash, userId, new Date(Date.now() + SESSION_TTL_MS), proconnectIdToken);
  return token;
}

/** The user of a session cookie's token, or null when the session is unknown, expired or its user disabled. */
export async function resolveSession(db: Db, token: string): Promise<SessionUser | null> {
  const hash = hashToken(token);
  const session = await findSessionUser(db, hash);
  if (!session) return null;
  // A session used within the hour keeps its expiry: one write an hour, not one a request.
  if (Date.now() - session.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    await touchSession(db, hash, new Date(Date.now() + SESSION_TTL_MS));
  }
  const user = await findUserById(db, session.user_id);
  return user ? toSessionUser(user) : null;
}

/** Ends the session of this token; returns its ID token when it was opened through ProConnect. */
export async function logOut(db: Db, token: string): Promise<{ proconnectIdToken: string | null }> {
  const ended = await deleteSession(db, hashToken(token));
  return { proconnectIdToken: ended?.proconnect_id_token ?? null };
}

/**
 * Sends a password reset link if the address has an account. The answer is the same whether
 * it has one or not, and so is its time: only the rate limits (per address asked and per IP)
 * are checked before answering; looking the account up and sending happen after, in the
 * background. Returns once the request is recorded.
 */
export async function requestPasswordReset(
  db: Db,
  mailer: Mailer,
  background: Background,
  publicUrl: string,
  input: { email: string; ip: string },
): Promise<void> {
  const email = normalizeEmail(input.email);
  const recorded = await inTransaction(db, (tx) =>
    recordAttemptWithin(
      tx,
      { kind: 'reset_request', accountKey: email, ip: input.ip },
      { since: new Date(Date.now() - RESET_WINDOW_MS), perAccount: RESET_MAX_PER_ACCOUNT, perIp: RESET_MAX_PER_IP },
    ),
  );
  if (!recorded) throw tooMany('Trop de demandes de réinitialisation. Réessayez dans une heure.');
  background.run('password reset e-mail', () => sendResetLink(db, mailer, publicUrl, email));
}

async function sendResetLink(db: Db, mailer: Mailer, publicUrl: string, email: string): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled_at !== null) return;
  const { token, hash } = newToken();
  await inTransaction(db, async (tx) => {
    await expireAccountTokens(tx, user.id, 'reset');
    await insertAccountToken(tx, {
      token_hash: hash,
      user_id: user.id,
      purpose: 'reset',
      expires_at: new Date(Date.now() + RESET_TTL_MS),
    });
  });
  await mailer.send({
    to: user.email,
    subject: 'Réinitialisation de votre mot de passe Essaim',
    text: [
      'Bonjour,',
      '',
      'Vous avez demandé à choisir un nouveau mot de passe pour votre compte Essaim.',
      'Ouvrez ce lien dans l’heure qui vient ; il ne sert qu’une fois :',
      `${publicUrl}/mot-de-passe/${token}`,
      '',
      'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste le même.',
      '',
      'L’équipe Essaim',
    ].join('\n'),
  });
}

const LINK_GONE = 'Ce lien a expiré ou a déjà servi.';

/** The account a single-use link opens, to show its page; throws a 410 when the link no longer works. */
export async function checkLink(
  db: Db,
  token: string,
  purpose: 'reset' | 'invitation',
): Promise<{ email: string; name: string }> {
  const row = await findAccountToken(db, hashToken(token));
  if (!row || row.purpose !== purpose || row.used_at !== null || row.expires_at.getTime() <= Date.now()) {
    throw new AppError('link_expired', LINK_GONE);
  }
  const user = await findUserById(db, row.user_id);
  if (!user || user.disabled_at !== null) throw new AppError('link_expired', LINK_GONE);
  return { email: user.email, name: user.name };
}

/**
 * Sets a password through a reset or invitation link and opens a session. The link is used up
 * in the same transaction as the password change; every other session of the user ends.
 */
export async function setPasswordByLink(
  db: Db,
  input: { token: string; purpose: 'reset' | 'invitation'; password: string; confirmation?: string; name?: string },
): Promise<{ token: string; user: SessionUser }> {
  checkPassword(input.password, input.confirmation);
  const name = input.name === undefined ? undefined : checkName(input.name);
  // The owner's address and name are the first words an attacker tries.
  const link = await findAccountToken(db, hashToken(input.token));
  const owner = link ? await findUserById(db, link.user_id) : undefined;
  const weak = await weakPasswordReason(input.password, [owner?.email ?? '', owner?.name ?? '', name ?? '']);
  if (weak) throw new AppError('weak_password', weak, 'password');
  const passwordHash = await hashPassword(input.password);
  const userId = await inTransaction(db, async (tx) => {
    const id = await consumeAccountToken(tx, hashToken(input.token), input.purpose);
    if (id === undefined) throw new AppError('link_expired', LINK_GONE);
    await updateUser(tx, id, { password_hash: passwordHash, ...(name ? { name } : {}) });
    await deleteUserSessions(tx, id);
    await expireAccountTokens(tx, id, 'reset');
    return id;
  });
  const user = await findUserById(db, userId);
  if (!user || user.disabled_at !== null) throw new AppError('link_expired', LINK_GONE);
  // Whoever reads the mailbox owns the account: earlier failures no longer lock it.
  await clearLoginFailures(db, user.email);
  return { token: await openSession(db, userId), user: toSessionUser(user) };
}

/** The cookie-signing secret, shared by every process through the database. */
export function cookieSecret(db: Db): Promise<string> {
  return getOrCreateSecret(db, 'cookie', randomBytes(32).toString('base64url'));
}

/** Deletes expired sessions and links and attempts that no longer count. */
export async function purgeAccounts(db: Db): Promise<void> {
  await purgeExpired(db, new Date(Date.now() - DAY));
}
