import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { ensure, requireLogin, userOf } from '../accounts/sessions.http.js';
import { getFiche } from '../actions/actions.service.js';
import { upToDate } from '../actions/freshness.js';
import { reviewsAnywhere } from '../authorization/authorization.js';
import type { ReminderSettings } from '../config.js';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { FormBody, FormText, NoQuery, NoticeQuery, PageQuery, PathSegment } from '../web/route-schemas.js';
import { sendPage } from '../web/send-page.js';
import { ConfirmedPage, ConfirmPage, StaleQueuePage } from './freshness.views.js';
import { confirmAsUser, confirmByLink, reminderOfToken, staleQueue } from './reminders.service.js';

const TokenParams = Type.Object({ token: PathSegment });
const IdParams = Type.Object({ id: PathSegment });
const ConfirmForm = FormBody({});
const ConfirmedQuery = PageQuery({ fiche: Type.Optional(Type.String({ maxLength: 12 })) });
const UserConfirmForm = FormBody({ back: FormText(200) });
// Where a signed-in confirmation may send its user back: pages of the space only.
const BACK = /^\/espace(\/[a-z0-9/-]*)?$/;

/** « Toujours d’actualité » from a reminder's link or from the space, and the reviewers' queue of stale fiches. */
export function freshnessPages(db: Db, settings: ReminderSettings): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    // The link opens a page and the button confirms: mail scanners open links, they do not post forms.
    app.get(
      '/fiches/actualite/:token',
      { schema: { params: TokenParams, querystring: NoQuery } },
      async (request, reply) => {
        const reminder = await reminderOfToken(db, request.params.token, settings);
        const fiche = {
          id: reminder.action_id,
          title: reminder.title,
          structureName: reminder.structure_name,
          upToDate: upToDate({ updatedAt: reminder.updated_at, checkedAt: reminder.checked_at }),
        };
        return sendPage(
          reply,
          200,
          <ConfirmPage token={request.params.token} csrf={reply.generateCsrf()} fiche={fiche} />,
        );
      },
    );
    app.post(
      '/fiches/actualite/:token',
      { schema: { params: TokenParams, body: ConfirmForm } },
      async (request, reply) => {
        const fiche = await confirmByLink(db, request.params.token, settings);
        return reply.redirect(`/fiches/actualite/confirmee?fiche=${fiche.id}`, 303);
      },
    );
    app.get('/fiches/actualite/confirmee', { schema: { querystring: ConfirmedQuery } }, async (request, reply) => {
      const id = request.query.fiche;
      const fiche = id && /^\d{1,9}$/.test(id) ? await getFiche(db, Number(id)) : undefined;
      if (!fiche) throw notFound('Cette fiche action n’existe pas, ou plus.');
      const shown = { id: fiche.id, title: fiche.title, upToDate: upToDate(fiche) };
      return sendPage(reply, 200, <ConfirmedPage fiche={shown} />);
    });
    app.post(
      '/espace/fiches/:id/actualite',
      { schema: { params: IdParams, body: UserConfirmForm }, preHandler: requireLogin },
      async (request, reply) => {
        if (!/^\d{1,9}$/.test(request.params.id)) throw notFound('Cette fiche action n’existe pas, ou plus.');
        await confirmAsUser(db, userOf(request), Number(request.params.id));
        const back =
          request.body.back && BACK.test(request.body.back) ? request.body.back : `/espace/fiches/${request.params.id}`;
        return reply.redirect(`${back}?info=actualite`, 303);
      },
    );
    app.get(
      '/espace/a-verifier',
      { schema: { querystring: NoticeQuery }, preHandler: requireLogin },
      async (request, reply) => {
        const user = userOf(request);
        ensure(reviewsAnywhere(user), 'Les fiches à vérifier sont suivies par les relecteurs.');
        const notice = request.query.info === 'actualite' ? 'Fiche confirmée « Toujours d’actualité ».' : undefined;
        return sendPage(
          reply,
          200,
          <StaleQueuePage
            user={user}
            csrf={reply.generateCsrf()}
            fiches={await staleQueue(db, user)}
            notice={notice}
          />,
        );
      },
    );
  };
}
