import { can, type RoleSet, type SessionUser, visibleScope } from '../authorization/authorization.js';
import { normalizeEmail } from '../core/email.js';
import { AppError } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Mailer } from '../mail/mailer.js';
import { getStructure, listStructures, listStructuresByIds } from '../structures/structures.repository.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import {
  deleteUserSessions,
  expireAccountTokens,
  findUserByEmail,
  grantRoles,
  insertAccountToken,
  insertUser,
  listUsers,
  revokeRoles,
  type UserRow,
  updateUser,
} from './accounts.repository.js';
import { checkName, INVITATION_TTL_MS, newToken } from './accounts.service.js';

/** What an invitation asks for: an address, a name, and roles by id and code. */
export interface InvitationInput {
  email: string;
  name?: string;
  isAdmin?: boolean;
  structureIds?: number[];
  departementCodes?: string[];
}

/** The roles an invitation asks for, checked: each structure and département exists, one at least. */
async function checkRoles(db: Db, input: InvitationInput) {
  const structureIds = [...new Set(input.structureIds ?? [])];
  const departementCodes = [...new Set(input.departementCodes ?? [])];
  const structures = await Promise.all(
    structureIds.map(async (id) => {
      const structure = await getStructure(db, id);
      if (!structure) throw new AppError('unknown_structure', `La structure n° ${id} n’existe pas.`, 'structure');
      return structure;
    }),
  );
  const { departements } = await loadReferenceIndex(db);
  for (const code of departementCodes) {
    if (!departements.has(code)) {
      throw new AppError('unknown_departement', `Le département ${quote(code)} n’existe pas.`, 'departement');
    }
  }
  const roles: RoleSet = {
    isAdmin: input.isAdmin ?? false,
    structures: structures.map((s) => ({ structureId: s.id, departementCode: s.departement_code })),
    departementCodes,
  };
  if (!roles.isAdmin && structureIds.length === 0 && departementCodes.length === 0) {
    throw new AppError(
      'no_role',
      'Choisissez au moins une structure, un département ou le rôle d’administration.',
      'role',
    );
  }
  return { roles, structureIds, departementCodes, described: describeRoles(roles, structures, departements) };
}

/**
 * Invites a user by e-mail with these roles, or adds them to an existing account. `inviter` is
 * null for the command line, which may do anything. Returns the link sent, if one was.
 */
export async function inviteUser(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  inviter: SessionUser | null,
  input: InvitationInput,
): Promise<{ userId: number; link: string | null }> {
  const email = normalizeEmail(input.email);
  const name = checkName(input.name ?? '');
  const { roles, structureIds, departementCodes, described } = await checkRoles(db, input);
  const existing = await findUserByEmail(db, email);
  if (inviter && !can(inviter, 'user:grant', { targetUserId: existing?.id ?? null, roles })) {
    throw new AppError('forbidden', 'Vous ne pouvez pas donner ces droits.');
  }
  const { token, hash } = newToken();
  const { userId, activated } = await inTransaction(db, async (tx) => {
    const id = existing?.id ?? (await insertUser(tx, { email, name, isAdmin: roles.isAdmin }));
    if (existing && roles.isAdmin && !existing.is_admin) await updateUser(tx, id, { is_admin: true });
    await grantRoles(tx, id, { structureIds, departementCodes });
    const hasPassword = existing?.password_hash != null;
    if (!hasPassword) {
      await expireAccountTokens(tx, id, 'invitation');
      await insertAccountToken(tx, {
        token_hash: hash,
        user_id: id,
        purpose: 'invitation',
        expires_at: new Date(Date.now() + INVITATION_TTL_MS),
      });
    }
    return { userId: id, activated: hasPassword };
  });
  const link = activated ? null : `${publicUrl}/invitation/${token}`;
  const from = inviter ? inviter.name || inviter.email : 'L’équipe Essaim';
  await mailer.send({ to: email, ...invitationMail(from, described, link, publicUrl) });
  return { userId, link };
}

/** The e-mail of an invitation (with its link) or of new roles on an account that has a password. */
function invitationMail(from: string, what: string, link: string | null, publicUrl: string) {
  if (link) {
    return {
      subject: 'Invitation à contribuer à Essaim',
      text: [
        'Bonjour,',
        '',
        `${from} vous invite à contribuer à Essaim, le catalogue des actions des centres sociaux, pour ${what}.`,
        '',
        'Pour créer votre mot de passe et ouvrir votre espace, ouvrez ce lien dans les 7 jours ; il ne sert qu’une fois :',
        link,
        '',
        'Si vous n’attendiez pas cette invitation, ignorez ce message.',
        '',
        'L’équipe Essaim',
      ].join('\n'),
    };
  }
  return {
    subject: 'Nouveaux droits sur Essaim',
    text: [
      'Bonjour,',
      '',
      `${from} vous a donné accès, sur Essaim, à ${what}.`,
      `Connectez-vous pour les retrouver dans votre espace : ${publicUrl}/espace`,
      '',
      'L’équipe Essaim',
    ].join('\n'),
  };
}

/** The roles in words, for the e-mail: « la rédaction des fiches de X, et la relecture… ». */
function describeRoles(
  roles: RoleSet,
  structures: Array<{ name: string }>,
  departements: Map<string, { name: string }>,
): string {
  const parts: string[] = [];
  if (roles.isAdmin) parts.push('l’administration du catalogue');
  if (structures.length > 0) parts.push(`la rédaction des fiches de ${structures.map((s) => s.name).join(', ')}`);
  if (roles.departementCodes.length > 0) {
    const names = roles.departementCodes.map((c) => `${departements.get(c)?.name ?? c} (${c})`);
    parts.push(`la relecture des fiches du département ${names.join(', ')}`);
  }
  return parts.join(', et ');
}

async function userByEmail(db: Db, email: string): Promise<UserRow> {
  const user = await findUserByEmail(db, normalizeEmail(email));
  if (!user) throw new AppError('unknown_user', `Aucun compte pour l’adresse ${quote(email.trim())}.`, 'email');
  return user;
}

/** Takes roles away from a user: structures, départements, administration. */
export async function revokeUserRoles(
  db: Db,
  email: string,
  roles: { isAdmin?: boolean; structureIds?: number[]; departementCodes?: string[] },
): Promise<void> {
  const user = await userByEmail(db, email);
  await inTransaction(db, async (tx) => {
    await revokeRoles(tx, user.id, {
      structureIds: roles.structureIds ?? [],
      departementCodes: roles.departementCodes ?? [],
    });
    if (roles.isAdmin) await updateUser(tx, user.id, { is_admin: false });
  });
}

/** Disables an account (its sessions end at once) or enables it again. */
export async function setUserDisabled(db: Db, email: string, disabled: boolean): Promise<void> {
  const user = await userByEmail(db, email);
  await inTransaction(db, async (tx) => {
    await updateUser(tx, user.id, { disabled_at: disabled ? (user.disabled_at ?? new Date()) : null });
    if (disabled) await deleteUserSessions(tx, user.id);
  });
}

/** Every account with its roles and the names of its structures: the admin's list. */
export async function listAccounts(db: Db, user: SessionUser) {
  if (!can(user, 'admin:manage', null)) {
    throw new AppError('forbidden', 'La liste des utilisateurs est réservée aux administrateurs.');
  }
  const users = await listUsers(db);
  const structureIds = [...new Set(users.flatMap((u) => u.structure_ids))];
  const structureNames = new Map((await listStructuresByIds(db, structureIds)).map((s) => [s.id, s.name]));
  return { users, structureNames };
}

/** The structures a user may invite editors to: those of their départements, every one for an admin. */
export function invitableStructures(db: Db, user: SessionUser) {
  const scope = visibleScope(user);
  return listStructures(db, { departementCodes: scope ?? undefined }, 100_000, 0);
}

/** The structures whose fiches the user writes, for the home of their space. */
export function ownStructures(db: Db, user: SessionUser) {
  return listStructuresByIds(db, user.structureIds);
}
