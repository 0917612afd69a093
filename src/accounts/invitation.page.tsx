import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Static } from 'typebox';
import { reviewsAnywhere, type SessionUser } from '../authorization/authorization.js';
import type { FormErrors } from '../core/errors.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { formErrors } from '../web/forms.js';
import { FormBody, FormText, NoQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import type { AccountDeps } from './accounts.http.js';
import { type InvitationChoices, InvitationPage, type InvitationValues } from './invitation.views.js';
import { type InvitationInput, invitableStructures, inviteUser } from './roles.service.js';
import { ensure, userOf } from './sessions.http.js';

const InvitationForm = FormBody({
  email: FormText(320),
  name: FormText(1000),
  role: FormText(40),
  structure: FormText(40),
  departement: FormText(40),
});
const newSchema = { querystring: NoQuery };
const inviteSchema = { body: InvitationForm };

/** Inviting a person, by a reviewer (editors of their départements' structures) or an admin. */
export function invitationRoutes(deps: AccountDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace/invitations/nouvelle', { schema: newSchema }, (request, reply) =>
      showInvitation(deps, request, reply),
    );
    app.post('/espace/invitations', { schema: inviteSchema }, (request, reply) => invite(deps, request, reply));
  };
}

function mayInvite(user: SessionUser): void {
  ensure(reviewsAnywhere(user), 'Inviter est réservé aux relecteurs et aux administrateurs.');
}

/** What the form offers the user: the roles they may give, the structures by département. */
async function invitationChoices(deps: AccountDeps, user: SessionUser): Promise<InvitationChoices> {
  const { departements } = await loadReferenceIndex(deps.db);
  const structures = await invitableStructures(deps.db, user);
  const groups = new Map<string, InvitationChoices['structures'][number]>();
  for (const s of [...structures].sort((a, b) => a.departement_code.localeCompare(b.departement_code))) {
    const group = `${s.departement_name} (${s.departement_code})`;
    if (!groups.has(group)) groups.set(group, { group, options: [] });
    groups.get(group)?.options.push({ id: String(s.id), label: s.name });
  }
  return {
    roles: user.isAdmin ? ['editor', 'reviewer', 'admin'] : ['editor'],
    structures: [...groups.values()],
    departements: user.isAdmin
      ? [...departements.values()].map((d) => ({ id: d.code, label: `${d.code} — ${d.name}` }))
      : [],
  };
}

async function showInvitation(deps: AccountDeps, request: RequestOf<typeof newSchema>, reply: FastifyReply) {
  const user = userOf(request);
  mayInvite(user);
  return sendPage(
    reply,
    200,
    <InvitationPage user={user} csrf={reply.generateCsrf()} choices={await invitationChoices(deps, user)} />,
  );
}

/** The invitation the form asks for, or the messages of the fields it lacks. */
function readInvitation(values: InvitationValues): { input: InvitationInput; errors: FormErrors } {
  const errors: FormErrors = {};
  const input: InvitationInput = { email: values.email ?? '', name: values.name };
  if (values.role === 'editor') {
    if (values.structure && /^\d+$/.test(values.structure)) input.structureIds = [Number(values.structure)];
    else errors.structure = 'Choisissez la structure dont la personne rédigera les fiches.';
  } else if (values.role === 'reviewer') {
    if (values.departement) input.departementCodes = [values.departement];
    else errors.departement = 'Choisissez le département dont la personne relira les fiches.';
  } else if (values.role === 'admin') {
    input.isAdmin = true;
  } else {
    errors.role = 'Choisissez un rôle.';
  }
  return { input, errors };
}

async function invite(deps: AccountDeps, request: RequestOf<typeof inviteSchema>, reply: FastifyReply) {
  const user = userOf(request);
  mayInvite(user);
  const body: Static<typeof InvitationForm> = request.body;
  const values: InvitationValues = { ...body, email: body.email ?? '', name: body.name ?? '' };
  const render = async (status: number, errors: FormErrors, sent?: { email: string }) =>
    sendPage(
      reply,
      status,
      <InvitationPage
        user={user}
        csrf={reply.generateCsrf()}
        choices={await invitationChoices(deps, user)}
        values={sent ? undefined : values}
        errors={errors}
        sent={sent}
      />,
    );
  const { input, errors } = readInvitation(values);
  if (Object.keys(errors).length > 0) return render(400, errors);
  try {
    await inviteUser(deps.db, deps.mailer, deps.publicUrl, user, input);
    return render(200, {}, { email: (values.email ?? '').trim().toLowerCase() });
  } catch (error) {
    const { status, errors: refused } = formErrors(error, 'email');
    return render(status, refused);
  }
}
