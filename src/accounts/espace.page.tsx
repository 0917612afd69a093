import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { reviewsAnywhere } from '../authorization/authorization.js';
import { structurePath } from '../core/paths.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { NoQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import type { AccountDeps } from './accounts.http.js';
import { EspaceHomePage, UsersPage } from './espace.views.js';
import { listAccounts, ownStructures } from './roles.service.js';
import { userOf } from './sessions.http.js';

const pageSchema = { querystring: NoQuery };
type PageRequest = RequestOf<typeof pageSchema>;

/** The home of the contributors' space, and the admin's list of accounts. */
export function espaceRoutes(deps: AccountDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace', { schema: pageSchema }, (request, reply) => showHome(deps, request, reply));
    app.get('/espace/utilisateurs', { schema: pageSchema }, (request, reply) => showUsers(deps, request, reply));
  };
}

async function showHome(deps: AccountDeps, request: PageRequest, reply: FastifyReply) {
  const user = userOf(request);
  const [structures, { departements }] = await Promise.all([ownStructures(deps.db, user), loadReferenceIndex(deps.db)]);
  return sendPage(
    reply,
    200,
    <EspaceHomePage
      user={user}
      csrf={reply.generateCsrf()}
      structures={structures.map((s) => ({
        id: String(s.id),
        label: `${s.name} (${s.departement_code})`,
        href: structurePath(s.id, s.name),
      }))}
      departements={user.departementCodes.map((code) => ({
        id: code,
        label: `${departements.get(code)?.name ?? code} (${code})`,
      }))}
      canInvite={reviewsAnywhere(user)}
    />,
  );
}

async function showUsers(deps: AccountDeps, request: PageRequest, reply: FastifyReply) {
  const user = userOf(request);
  const [{ users, structureNames }, { departements }] = await Promise.all([
    listAccounts(deps.db, user),
    loadReferenceIndex(deps.db),
  ]);
  const rows = users.map((u) => ({
    email: u.email,
    name: u.name,
    roles: [
      ...(u.is_admin ? ['Administration'] : []),
      ...u.structure_ids.map((id) => `Rédaction\u00a0: ${structureNames.get(id) ?? `structure n° ${id}`}`),
      ...u.departement_codes.map((c) => `Relecture\u00a0: ${departements.get(c)?.name ?? c} (${c})`),
    ],
    state: u.disabled_at
      ? 'Désactivé'
      : u.password_hash || u.proconnect_sub
        ? `Actif${u.proconnect_sub ? ' · ProConnect' : ''}`
        : 'Invitation en attente',
  }));
  return sendPage(reply, 200, <UsersPage user={user} csrf={reply.generateCsrf()} users={rows} />);
}
