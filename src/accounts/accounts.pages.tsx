import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Background } from '../jobs/background.js';
import type { Mailer } from '../mail/mailer.js';
import type { AccountDeps } from './accounts.http.js';
import { espaceRoutes } from './espace.page.js';
import { invitationRoutes } from './invitation.page.js';
import { loginRoutes } from './login.page.js';
import { passwordLinkRoutes } from './password-link.page.js';
import { requireLogin } from './sessions.http.js';

/** The login, logout, password and invitation pages, and the home of the contributors' space. */
export function accountPages(
  db: Db,
  mailer: Mailer,
  background: Background,
  config: Pick<Config, 'publicUrl' | 'proconnect'>,
  endProConnectSession?: AccountDeps['endProConnectSession'],
): FastifyPluginAsync {
  const deps: AccountDeps = {
    db,
    mailer,
    background,
    publicUrl: config.publicUrl,
    proconnect: config.proconnect !== undefined,
    endProConnectSession,
  };
  return async (app) => {
    await app.register(loginRoutes(deps));
    await app.register(passwordLinkRoutes(deps));
    await app.register(async (espace) => {
      espace.addHook('preHandler', requireLogin);
      await espace.register(espaceRoutes(deps));
      await espace.register(invitationRoutes(deps));
    });
  };
}
