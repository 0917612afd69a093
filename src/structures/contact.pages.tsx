import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import type { SessionUser } from '../authorization/authorization.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { FormBody, FormText, NoticeQuery, PathSegment, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import {
  CONTACT_FIELDS,
  type ContactInput,
  contactInputFrom,
  contactInputOf,
  contactToEdit,
  saveStructureContact,
} from './contact.service.js';
import { ContactFormPage } from './contact.views.js';

const ContactForm = FormBody(Object.fromEntries(CONTACT_FIELDS.map((name) => [name, FormText(1000)])));
const Params = Type.Object({ id: PathSegment });
const showSchema = { params: Params, querystring: NoticeQuery };
const saveSchema = { params: Params, body: ContactForm };

/** A structure's contact details, changed by its editors and the reviewers of its département. */
export function structureContactPages(db: Db): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('preHandler', requireLogin);
    app.get('/espace/structures/:id/coordonnees', { schema: showSchema }, async (request, reply) => {
      const user = userOf(request);
      const structure = await contactToEdit(db, user, structureId(request.params.id));
      const notice = request.query.info === 'enregistrees' ? 'Coordonnées enregistrées.' : undefined;
      return render(reply, user, 200, structure, contactInputOf(structure), undefined, notice);
    });
    app.post('/espace/structures/:id/coordonnees', { schema: saveSchema }, (request, reply) =>
      save(db, request, reply),
    );
  };
}

function structureId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw notFound('Cette structure n’existe pas, ou plus.');
  return Number(raw);
}

function render(
  reply: FastifyReply,
  user: SessionUser,
  status: number,
  structure: { id: number; name: string },
  values: ContactInput,
  errors?: FormErrors,
  notice?: string,
) {
  return sendPage(
    reply,
    status,
    <ContactFormPage
      user={user}
      csrf={reply.generateCsrf()}
      structure={structure}
      values={values}
      errors={errors}
      notice={notice}
    />,
  );
}

async function save(db: Db, request: RequestOf<typeof saveSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const id = structureId(request.params.id);
  const values = contactInputFrom(request.body);
  try {
    await saveStructureContact(db, user, id, values);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'invalid_structure')) throw error;
    return render(reply, user, 400, await contactToEdit(db, user, id), values, error.errors);
  }
  return reply.redirect(`/espace/structures/${id}/coordonnees?info=enregistrees`, 303);
}
