import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { ensure, requireLogin, userOf } from '../accounts/sessions.http.js';
import { reviewsAnywhere, type SessionUser, visibleScope } from '../authorization/authorization.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import { quote } from '../core/typography.js';
import type { Db } from '../db/database.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { FormBody, FormText, NoQuery, PageQuery, PathSegment, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { type DepartementChoice, StructureFormPage, StructureListPage } from './structures.manage.views.js';
import { findStructures, type StructureInput, saveStructure, structureToManage } from './structures.service.js';

const NOTICES: Record<string, string> = {
  creee: 'Structure créée. Ses rédacteurs peuvent maintenant être invités.',
  modifiee: 'Structure enregistrée ; ses fiches publiées en tiennent compte dans la recherche.',
};
const PER_PAGE = 50;

const ListQuery = PageQuery({
  q: Type.Optional(Type.String({ maxLength: 1000 })),
  departement: Type.Optional(Type.String({ maxLength: 40 })),
  page: Type.Optional(Type.String({ maxLength: 20 })),
  info: Type.Optional(Type.String({ maxLength: 40 })),
});
const StructureForm = FormBody({ name: FormText(1000), departement: FormText(40), kind: FormText(40) });
const StructureParams = Type.Object({ id: PathSegment });
type StructureFormBody = Static<typeof StructureForm>;

const listSchema = { querystring: ListQuery };
const newSchema = { querystring: NoQuery };
const createSchema = { body: StructureForm };
const editSchema = { params: StructureParams, querystring: NoQuery };
const saveSchema = { params: StructureParams, body: StructureForm };

/** The structures of the reviewer's départements (all, for an admin): list, creation, details. */
export function structureManagementPages(db: Db): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('preHandler', requireLogin);
    app.addHook('preHandler', async (request) =>
      ensure(reviewsAnywhere(userOf(request)), 'Les structures sont gérées par les relecteurs et les administrateurs.'),
    );
    app.get('/espace/structures', { schema: listSchema }, (request, reply) => showList(db, request, reply));
    app.get('/espace/structures/nouvelle', { schema: newSchema }, (request, reply) => {
      const user = userOf(request);
      const departementCode = user.isAdmin ? '' : (user.departementCodes[0] ?? '');
      return renderForm(db, reply, user, 200, null, { name: '', departementCode, kind: '' });
    });
    app.post('/espace/structures', { schema: createSchema }, (request, reply) =>
      save(db, reply, userOf(request), null, request.body),
    );
    app.get('/espace/structures/:id/modifier', { schema: editSchema }, (request, reply) =>
      showStructure(db, request, reply),
    );
    app.post('/espace/structures/:id', { schema: saveSchema }, async (request, reply) => {
      const user = userOf(request);
      const s = await existing(db, user, request.params.id);
      return save(db, reply, user, s.id, request.body);
    });
  };
}

/** The départements the user's lists and form offer: theirs, or all for an admin. */
async function departementsOf(db: Db, user: SessionUser): Promise<DepartementChoice[]> {
  const all = [...(await loadReferenceIndex(db)).departements.values()]
    .map((d) => ({ code: d.code, name: d.name }))
    .sort((a, b) => a.code.localeCompare(b.code));
  const scope = visibleScope(user);
  return scope === null ? all : all.filter((d) => scope.includes(d.code));
}

async function showList(db: Db, request: RequestOf<typeof listSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const departements = await departementsOf(db, user);
  const q = (request.query.q ?? '').slice(0, 200);
  const wanted = departements.find((d) => d.code === request.query.departement)?.code ?? '';
  const page = Math.min(Math.max(Number.parseInt(request.query.page ?? '1', 10) || 1, 1), 10_000);
  const result = await findStructures(db, {
    // A reviewer sees their départements only, whatever the address asks.
    departments: wanted ? [wanted] : (visibleScope(user) ?? undefined),
    q,
    page,
    perPage: PER_PAGE,
  });
  return sendPage(
    reply,
    200,
    <StructureListPage
      user={user}
      csrf={reply.generateCsrf()}
      rows={result.items}
      total={result.total}
      page={page}
      pageCount={Math.max(1, Math.ceil(result.total / PER_PAGE))}
      q={q}
      departement={wanted}
      departements={departements}
      notice={NOTICES[request.query.info ?? '']}
    />,
  );
}

async function renderForm(
  db: Db,
  reply: FastifyReply,
  user: SessionUser,
  status: number,
  id: number | null,
  values: StructureInput,
  errors?: FormErrors,
) {
  return sendPage(
    reply,
    status,
    <StructureFormPage
      user={user}
      csrf={reply.generateCsrf()}
      title={id === null ? 'Nouvelle structure' : `Modifier ${quote(values.name)}`}
      action={id === null ? '/espace/structures' : `/espace/structures/${id}`}
      values={values}
      departements={await departementsOf(db, user)}
      errors={errors}
    />,
  );
}

async function save(db: Db, reply: FastifyReply, user: SessionUser, id: number | null, body: StructureFormBody) {
  const values = { name: body.name ?? '', departementCode: body.departement ?? '', kind: body.kind ?? '' };
  try {
    await saveStructure(db, user, id, values);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'invalid_structure')) throw error;
    return renderForm(db, reply, user, 400, id, values, error.errors);
  }
  return reply.redirect(`/espace/structures?info=${id === null ? 'creee' : 'modifiee'}`, 303);
}

/** The structure a path names, if the user manages it. */
function existing(db: Db, user: SessionUser, raw: string) {
  if (!/^\d{1,9}$/.test(raw)) throw notFound('Cette structure n’existe pas, ou plus.');
  return structureToManage(db, user, Number(raw));
}

async function showStructure(db: Db, request: RequestOf<typeof editSchema>, reply: FastifyReply) {
  const user = userOf(request);
  const s = await existing(db, user, request.params.id);
  return renderForm(db, reply, user, 200, s.id, {
    name: s.name,
    departementCode: s.departement_code,
    kind: s.kind ?? '',
  });
}
