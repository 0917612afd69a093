import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ensure, requireLogin, userOf } from '../accounts/sessions.http.js';
import { getFiche } from '../actions/actions.service.js';
import type { StoredFiche } from '../actions/fiche.js';
import { reviewsAnywhere } from '../authorization/authorization.js';
import { notFound } from '../core/errors.js';
import { fichePath, idFromSegment } from '../core/paths.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { formErrors } from '../web/forms.js';
import { FormBody, FormText, NoticeQuery, PathSegment } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { decideReport, type ReportInput, reportFiche, reviewerReports } from './reports.service.js';
import { ReportPage, ReportQueuePage } from './reports.views.js';

const SlugParams = Type.Object({ slug: PathSegment });
const ReportForm = FormBody({
  kind: FormText(40),
  text: FormText(20_000),
  email: FormText(1000),
  website: FormText(1000),
});
const IdParams = Type.Object({ id: PathSegment });
// Each report's form names its note after the report, so that the page's ids stay unique.
const DecisionForm = Type.Object(
  { _csrf: FormText(200), decision: FormText(20) },
  { additionalProperties: false, patternProperties: { '^note-\\d{1,9}$': { type: 'string', maxLength: 2000 } } },
);
const NOTICES: Record<string, string> = {
  traite: 'Signalement traité ; le lecteur qui a laissé son adresse est prévenu.',
  rejete: 'Signalement rejeté ; le lecteur qui a laissé son adresse est prévenu.',
};

/** « Signaler une erreur » for any reader, and the reviewers' queue of reports. */
export function reportPages(db: Db, mailer: Mailer, publicUrl: string): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/actions/:slug/signaler',
      { schema: { params: SlugParams, querystring: NoticeQuery } },
      async (request, reply) => {
        const fiche = await ficheOf(db, request.params.slug);
        const values = { kind: '', text: '', email: '', website: '' };
        return sendPage(
          reply,
          200,
          <ReportPage
            fiche={fiche}
            csrf={reply.generateCsrf()}
            values={values}
            sent={request.query.info === 'envoye'}
          />,
        );
      },
    );
    app.post(
      '/actions/:slug/signaler',
      { schema: { params: SlugParams, body: ReportForm } },
      async (request, reply) => {
        const fiche = await ficheOf(db, request.params.slug);
        const b = request.body;
        const values: ReportInput = {
          kind: b.kind ?? '',
          text: b.text ?? '',
          email: b.email ?? '',
          website: b.website ?? '',
        };
        try {
          await reportFiche(db, fiche.id, values, request.ip);
        } catch (error) {
          const { status, errors } = formErrors(error, 'text');
          return sendPage(
            reply,
            status,
            <ReportPage fiche={fiche} csrf={reply.generateCsrf()} values={values} errors={errors} />,
          );
        }
        return reply.redirect(`${fichePath(fiche.id, fiche.title)}/signaler?info=envoye`, 303);
      },
    );
    app.get(
      '/espace/signalements',
      { schema: { querystring: NoticeQuery }, preHandler: requireLogin },
      async (request, reply) => {
        const user = userOf(request);
        ensure(reviewsAnywhere(user), 'Les signalements sont traités par les relecteurs.');
        const reports = await reviewerReports(db, user);
        const notice = NOTICES[request.query.info ?? ''];
        return sendPage(
          reply,
          200,
          <ReportQueuePage user={user} csrf={reply.generateCsrf()} reports={reports} notice={notice} />,
        );
      },
    );
    app.post(
      '/espace/signalements/:id',
      { schema: { params: IdParams, body: DecisionForm }, preHandler: requireLogin },
      async (request, reply) => {
        const id = reportId(request.params.id);
        const body = request.body as Record<string, string | undefined>;
        const state = body.decision === 'rejected' ? 'rejected' : 'handled';
        await decideReport(db, mailer, publicUrl, userOf(request), id, { state, note: body[`note-${id}`] ?? '' });
        return reply.redirect(`/espace/signalements?info=${state === 'handled' ? 'traite' : 'rejete'}`, 303);
      },
    );
  };
}

async function ficheOf(db: Db, slug: string): Promise<StoredFiche> {
  const id = idFromSegment(slug);
  const fiche = id === undefined ? undefined : await getFiche(db, id);
  if (!fiche) throw notFound('Cette fiche action n’existe pas, ou plus.');
  return fiche;
}

function reportId(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw notFound('Ce signalement n’existe pas, ou plus.');
  return Number(raw);
}
