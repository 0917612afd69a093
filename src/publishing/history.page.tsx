import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { userOf } from '../accounts/sessions.http.js';
import { loadReferenceIndex } from '../vocabularies/vocabularies.service.js';
import { NoQuery, type RequestOf } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { HistoryPage } from './history.views.js';
import { FicheParams } from './publishing.forms.js';
import { type PublishingDeps, parseFicheId } from './publishing.http.js';
import { presentHistory } from './publishing.presenter.js';
import { openHistory } from './publishing.service.js';

const historySchema = { params: FicheParams, querystring: NoQuery };

/** A fiche's history: who did what, when, field by field. */
export function historyRoutes(deps: PublishingDeps): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get('/espace/fiches/:id/historique', { schema: historySchema }, (request, reply) =>
      showHistory(deps, request, reply),
    );
  };
}

async function showHistory(deps: PublishingDeps, request: RequestOf<typeof historySchema>, reply: FastifyReply) {
  const user = userOf(request);
  const [{ workspace: w, rows }, ref] = await Promise.all([
    openHistory(deps.db, user, parseFicheId(request.params.id)),
    loadReferenceIndex(deps.db),
  ]);
  return sendPage(
    reply,
    200,
    <HistoryPage
      user={user}
      csrf={reply.generateCsrf()}
      id={w.fiche.id}
      title={w.content.title}
      rows={presentHistory(rows, ref)}
    />,
  );
}
