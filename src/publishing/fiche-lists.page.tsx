import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { userOf } from '../accounts/sessions.http.js';
import { NoticeQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { ReviewQueuePage, WorkListPage, type WorkRow } from './fiche-lists.views.js';
import { NOTICES, type PublishingDeps } from './publishing.http.js';
import { stateLabel } from './publishing.presenter.js';
import { listOwnWork, listReviewQueueOf } from './publishing.service.js';

const listSchema = { querystring: NoticeQuery };
type ListRequest = RequestOf<typeof listSchema>;

/** « Mes fiches » and the review queue, under /espace. */
export function ficheListRoutes(deps: PublishingDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace/fiches', { schema: listSchema }, (request, reply) => showOwnWork(deps, request, reply));
    app.get('/espace/relecture', { schema: listSchema }, (request, reply) => showReviewQueue(deps, request, reply));
  };
}

function toRow(r: Awaited<ReturnType<typeof listOwnWork>>[number], date: Date | null): WorkRow {
  return {
    id: r.id,
    title: r.title,
    structureName: r.structure_name,
    departement: r.departement_code,
    state: stateLabel(r.publication, r.state, r.freshness),
    date,
  };
}

async function showOwnWork(deps: PublishingDeps, request: ListRequest, reply: FastifyReply) {
  const user = userOf(request);
  const rows = (await listOwnWork(deps.db, user)).map((r) => toRow(r, r.revision_updated_at ?? r.updated_at));
  const notice = NOTICES[request.query.info ?? ''];
  return sendPage(reply, 200, <WorkListPage user={user} csrf={reply.generateCsrf()} rows={rows} notice={notice} />);
}

async function showReviewQueue(deps: PublishingDeps, request: ListRequest, reply: FastifyReply) {
  const user = userOf(request);
  const rows = (await listReviewQueueOf(deps.db, user)).map((r) => toRow(r, r.submitted_at));
  const notice = NOTICES[request.query.info ?? ''];
  return sendPage(reply, 200, <ReviewQueuePage user={user} csrf={reply.generateCsrf()} rows={rows} notice={notice} />);
}
