import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import type { SessionUser } from '../authorization/authorization.js';
import { AppError, type FormErrors } from '../core/errors.js';
import { type Db, VOCABULARY_TABLES } from '../db/database.js';
import { FormBody, FormText, NoQuery, NoticeQuery, PathSegment, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { addTerm, editTerm, getTerm, listVocabularies, vocabularyOf } from './terms.service.js';
import { TermPage, VocabulariesPage } from './terms.views.js';

const NOTICES: Record<string, string> = {
  ajoutee: 'Valeur ajoutée : elle est proposée dans le formulaire des fiches.',
  modifiee: 'Valeur enregistrée ; les fiches qui l’utilisent en tiennent compte dans la recherche.',
};

// The list's forms name their field after the vocabulary they add to (label-keywords…).
const NewTermForm = FormBody(Object.fromEntries(VOCABULARY_TABLES.map((t) => [`label-${t}`, FormText(1000)])));
const TermForm = FormBody({ label: FormText(1000), checked: FormText(10) });
const TableParams = Type.Object({ table: PathSegment });
const TermParams = Type.Object({ table: PathSegment, code: PathSegment });

const listSchema = { querystring: NoticeQuery };
const addSchema = { params: TableParams, body: NewTermForm };
const termSchema = { params: TermParams, querystring: NoQuery };
const editSchema = { params: TermParams, body: TermForm };

/** The vocabularies' administration: list with use counts, new values, renaming, checking. */
export function termPages(db: Db): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('preHandler', requireLogin);
    app.get('/espace/vocabulaires', { schema: listSchema }, (request, reply) =>
      renderList(db, reply, userOf(request), 200, { notice: NOTICES[request.query.info ?? ''] }),
    );
    app.post('/espace/vocabulaires/:table', { schema: addSchema }, (request, reply) => add(db, request, reply));
    app.get('/espace/vocabulaires/:table/:code', { schema: termSchema }, (request, reply) =>
      showTerm(db, request, reply),
    );
    app.post('/espace/vocabulaires/:table/:code', { schema: editSchema }, (request, reply) => edit(db, request, reply));
  };
}

async function renderList(
  db: Db,
  reply: FastifyReply,
  user: SessionUser,
  status: number,
  extra: { notice?: string; errors?: FormErrors; typed?: { table: string; label: string } },
) {
  return sendPage(
    reply,
    status,
    <VocabulariesPage
      user={user}
      csrf={reply.generateCsrf()}
      vocabularies={await listVocabularies(db, user)}
      {...extra}
    />,
  );
}

async function add(db: Db, request: RequestOf<typeof addSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const table = vocabularyOf(request.params.table);
  const label = request.body[`label-${table}`] ?? '';
  try {
    await addTerm(db, user, table, label);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'invalid_term')) throw error;
    return renderList(db, reply, user, 400, { errors: { [`label-${table}`]: error.message }, typed: { table, label } });
  }
  return reply.redirect(`/espace/vocabulaires?info=ajoutee#${table}`, 303);
}

async function showTerm(db: Db, request: RequestOf<typeof termSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const table = vocabularyOf(request.params.table);
  const term = await getTerm(db, user, table, request.params.code);
  return sendPage(
    reply,
    200,
    <TermPage user={user} csrf={reply.generateCsrf()} table={table} term={term} label={term.label} />,
  );
}

async function edit(db: Db, request: RequestOf<typeof editSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const table = vocabularyOf(request.params.table);
  const label = request.body.label ?? '';
  try {
    await editTerm(db, user, table, request.params.code, { label, checked: request.body.checked === '1' });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'invalid_term')) throw error;
    const term = await getTerm(db, user, table, request.params.code);
    return sendPage(
      reply,
      400,
      <TermPage
        user={user}
        csrf={reply.generateCsrf()}
        table={table}
        term={term}
        label={label}
        errors={{ label: error.message }}
      />,
    );
  }
  return reply.redirect(`/espace/vocabulaires?info=modifiee#${table}`, 303);
}
