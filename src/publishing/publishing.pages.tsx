import type { FastifyPluginAsync } from 'fastify';
import { requireLogin } from '../accounts/sessions.http.js';
import type { FileStorage } from '../attachments/storage.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { editorRoutes } from './editor.page.js';
import { ficheListRoutes } from './fiche-lists.page.js';
import { historyRoutes } from './history.page.js';
import type { PublishingDeps } from './publishing.http.js';
import { workspaceRoutes } from './workspace.page.js';

/** The fiches' part of the contributors' space, one file per screen, every page behind the login. */
export function publishingPages(
  db: Db,
  mailer: Mailer,
  storage: FileStorage,
  config: Pick<Config, 'publicUrl'>,
): FastifyPluginAsync {
  const deps: PublishingDeps = { db, storage, notifier: { mailer, publicUrl: config.publicUrl } };
  return async (app) => {
    app.addHook('preHandler', requireLogin);
    await app.register(ficheListRoutes(deps));
    await app.register(editorRoutes(deps));
    await app.register(workspaceRoutes(deps));
    await app.register(historyRoutes(deps));
  };
}
