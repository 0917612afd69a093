import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireLogin, userOf } from '../accounts/sessions.http.js';
import type { StoredFiche } from '../actions/fiche.js';
import { type SessionUser, writesAnywhere } from '../authorization/authorization.js';
import { type FormErrors, notFound } from '../core/errors.js';
import { idFromSegment } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { FormBody, FormText, NoQuery, PathSegment } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { inspirationSource, inspireFrom } from './inspiration.service.js';
import { InspirationPage, type InspirationReader } from './inspiration.views.js';
import { writableStructures } from './publishing.service.js';
import { chosenStructure, type StructureSearch, searchesStructures } from './structure-choice.js';

const Params = Type.Object({ slug: PathSegment });
const InspireForm = FormBody({ structure: FormText(20), structureSearch: FormText(300), withBudget: FormText(10) });
const showSchema = { params: Params, querystring: NoQuery };
const createSchema = { params: Params, body: InspireForm };

/** « S'inspirer de cette fiche », at the fiche's address plus /inspirer: open to all, acted on by contributors. */
export function inspirationPages(db: Db): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/actions/:slug/inspirer', { schema: showSchema }, async (request, reply) => {
      const source = await sourceOf(db, request.params.slug);
      return render(db, request, reply, 200, source);
    });
    app.post('/actions/:slug/inspirer', { schema: createSchema, preHandler: requireLogin }, async (request, reply) => {
      const user = userOf(request);
      const source = await sourceOf(db, request.params.slug);
      const chosen = await chosenStructure(db, user, request.body);
      if (chosen.error) {
        return render(db, request, reply, 400, source, { structure: chosen.error }, chosen.search);
      }
      const id = await inspireFrom(db, user, source.id, chosen.id, request.body.withBudget === 'oui');
      return reply.redirect(`/espace/fiches/${id}?info=inspiree`, 303);
    });
  };
}

async function sourceOf(db: Db, slug: string): Promise<StoredFiche> {
  const id = idFromSegment(slug);
  if (id === undefined) throw notFound('Cette fiche action n’existe pas, ou plus.');
  return inspirationSource(db, id);
}

async function readerOf(
  db: Db,
  user: SessionUser | null | undefined,
  csrf: () => string,
  search?: StructureSearch,
): Promise<InspirationReader> {
  if (!user) return { kind: 'visitor' };
  if (!writesAnywhere(user)) return { kind: 'no-structure' };
  if (searchesStructures(user))
    return { kind: 'contributor', csrf: csrf(), search: search ?? { value: '', candidates: [] } };
  return { kind: 'contributor', csrf: csrf(), structures: await writableStructures(db, user) };
}

async function render(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  source: StoredFiche,
  errors?: FormErrors,
  search?: StructureSearch,
) {
  const reader = await readerOf(db, request.user, () => reply.generateCsrf(), search);
  return sendPage(reply, status, <InspirationPage source={source} reader={reader} errors={errors} />);
}
