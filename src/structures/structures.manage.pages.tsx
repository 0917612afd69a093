import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { ensure, requireLogin, userOf } from '../accounts/sessions.http.js';
import { can, reviewsAnywhere, type SessionUser } from '../authorization/authorization.js';
import { AppError, type FormErrors, notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { one } from '../publishing/fiche-form.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { sendPage } from '../web/send-page.js';
import { type DepartementChoice, StructureFormPage, StructureListPage } from './structures.manage.views.js';
import { getStructure } from './structures.repository.js';
import { findStructures, type StructureInput, saveStructure } from './structures.service.js';

const NOTICES: Record<string, string> = {
  creee: 'Structure créée. Ses rédacteurs peuvent maintenant être invités.',
  modifiee: 'Structure enregistrée ; ses fiches publiées en tiennent compte dans la recherche.',
};
const PER_PAGE = 50;

type FormBody = Record<string, string | string[] | undefined>;

/** The structures of the reviewer's départements (all, for an admin): list, creation, details. */
export function structureManagementPages(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.addHook('preHandler', requireLogin);
    app.addHook('preHandler', async (request) =>
      ensure(reviewsAnywhere(userOf(request)), 'Les structures sont gérées par les relecteurs et les administrateurs.'),
    );

    const departementsOf = async (user: SessionUser): Promise<DepartementChoice[]> => {
      const all = [...(await loadReferenceIndex(db)).departements.values()]
        .map((d) => ({ code: d.code, name: d.name }))
        .sort((a, b) => a.code.localeCompare(b.code));
      return user.isAdmin ? all : all.filter((d) => user.departementCodes.includes(d.code));
    };

    app.get<{ Querystring: { q?: string; departement?: string; page?: string; info?: string } }>(
      '/espace/structures',
      async (request, reply) => {
        const user = userOf(request);
        const departements = await departementsOf(user);
        const q = (request.query.q ?? '').slice(0, 200);
        const wanted = departements.find((d) => d.code === request.query.departement)?.code ?? '';
        const page = Math.min(Math.max(Number.parseInt(request.query.page ?? '1', 10) || 1, 1), 10_000);
        const result = await findStructures(db, {
          // A reviewer sees their départements only, whatever the address asks.
          departments: wanted ? [wanted] : user.isAdmin ? undefined : user.departementCodes,
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
      },
    );

    const renderForm = async (
      reply: FastifyReply,
      user: SessionUser,
      status: number,
      id: number | null,
      values: StructureInput,
      errors?: FormErrors,
    ) =>
      sendPage(
        reply,
        status,
        <StructureFormPage
          user={user}
          csrf={reply.generateCsrf()}
          title={id === null ? 'Nouvelle structure' : `Modifier « ${values.name} »`}
          action={id === null ? '/espace/structures' : `/espace/structures/${id}`}
          values={values}
          departements={await departementsOf(user)}
          errors={errors}
        />,
      );

    const save = async (reply: FastifyReply, user: SessionUser, id: number | null, body: FormBody) => {
      const values = { name: one(body.name), departementCode: one(body.departement), kind: one(body.kind) };
      try {
        await saveStructure(db, user, id, values);
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid_structure') {
          return renderForm(reply, user, 400, id, values, error.errors);
        }
        throw error;
      }
      return reply.redirect(`/espace/structures?info=${id === null ? 'creee' : 'modifiee'}`, 303);
    };

    app.get('/espace/structures/nouvelle', async (request, reply) => {
      const user = userOf(request);
      const departementCode = user.isAdmin ? '' : (user.departementCodes[0] ?? '');
      return renderForm(reply, user, 200, null, { name: '', departementCode, kind: '' });
    });

    app.post<{ Body: FormBody }>('/espace/structures', async (request, reply) =>
      save(reply, userOf(request), null, request.body ?? {}),
    );

    const existing = async (user: SessionUser, raw: string) => {
      const structure = /^\d{1,9}$/.test(raw) ? await getStructure(db, Number(raw)) : undefined;
      if (!structure) throw notFound('Cette structure n’existe pas, ou plus.');
      ensure(
        can(user, 'structure:manage', { structureId: structure.id, departementCode: structure.departement_code }),
        'Cette structure n’est pas dans vos départements.',
      );
      return structure;
    };

    app.get<{ Params: { id: string } }>('/espace/structures/:id/modifier', async (request, reply) => {
      const user = userOf(request);
      const s = await existing(user, request.params.id);
      return renderForm(reply, user, 200, s.id, {
        name: s.name,
        departementCode: s.departement_code,
        kind: s.kind ?? '',
      });
    });

    app.post<{ Params: { id: string }; Body: FormBody }>('/espace/structures/:id', async (request, reply) => {
      const user = userOf(request);
      const s = await existing(user, request.params.id);
      return save(reply, user, s.id, request.body ?? {});
    });
  };
}
