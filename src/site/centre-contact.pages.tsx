import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { presentContact } from '../actions/structure-contact.js';
import { notFound } from '../core/errors.js';
import { idFromSegment, structurePath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { findStructure, type StructureRow } from '../structures/structures.service.js';
import { formErrors } from '../web/forms.js';
import { FormBody, FormText, PageQuery, PathSegment, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { CentreContactPage, type MessageValues } from './centre-contact.views.js';
import { messageRecipient, sendCentreMessage } from './centre-message.service.js';

const Params = Type.Object({ slug: PathSegment });
const ShowQuery = PageQuery({
  fiche: Type.Optional(Type.String({ maxLength: 12 })),
  info: Type.Optional(Type.String({ maxLength: 40 })),
});
const MessageForm = FormBody({
  name: FormText(1000),
  email: FormText(1000),
  message: FormText(20_000),
  fiche: FormText(12),
});
const showSchema = { params: Params, querystring: ShowQuery };
const sendSchema = { params: Params, body: MessageForm };

/** « Contacter le centre »: the form that relays a reader's message to a structure, no account needed. */
export function centreContactPages(db: Db, mailer: Mailer, site: { publicUrl: string }): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/structures/:slug/contact', { schema: showSchema }, async (request, reply) => {
      const structure = await structureOf(db, request.params.slug);
      const empty = { name: '', email: '', message: '' };
      const sent = request.query.info === 'envoye';
      return render(db, reply, 200, structure, ficheIdOf(request.query.fiche), empty, { sent });
    });
    app.post('/structures/:slug/contact', { schema: sendSchema }, (request, reply) =>
      send(db, mailer, site, request, reply),
    );
  };
}

async function structureOf(db: Db, slug: string) {
  const id = idFromSegment(slug);
  const structure = id === undefined ? undefined : await findStructure(db, id);
  if (!structure) throw notFound('Cette structure n’existe pas, ou plus.');
  return structure;
}

function ficheIdOf(raw: string | undefined): number | undefined {
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

async function render(
  db: Db,
  reply: FastifyReply,
  status: number,
  structure: StructureRow,
  ficheId: number | undefined,
  values: MessageValues,
  extra: { sent?: boolean; errors?: Record<string, string> },
) {
  const { fiche } = await messageRecipient(db, structure.id, ficheId);
  return sendPage(
    reply,
    status,
    <CentreContactPage
      structure={structure}
      contact={presentContact(structure, structure)}
      fiche={fiche}
      csrf={reply.generateCsrf()}
      values={values}
      {...extra}
    />,
  );
}

async function send(
  db: Db,
  mailer: Mailer,
  site: { publicUrl: string },
  request: RequestOf<typeof sendSchema>,
  reply: FastifyReply,
) {
  const structure = await structureOf(db, request.params.slug);
  const values = {
    name: request.body.name ?? '',
    email: request.body.email ?? '',
    message: request.body.message ?? '',
  };
  const ficheId = ficheIdOf(request.body.fiche);
  try {
    await sendCentreMessage(db, mailer, site, structure.id, { ...values, ficheId }, request.ip);
  } catch (error) {
    const { status, errors } = formErrors(error, 'message');
    return render(db, reply, status, structure, ficheId, values, { errors });
  }
  const query = new URLSearchParams({ ...(ficheId ? { fiche: String(ficheId) } : {}), info: 'envoye' });
  return reply.redirect(`${structurePath(structure.id, structure.name)}/contact?${query}`, 303);
}
