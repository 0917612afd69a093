import { buildApp } from './app.js';
import { openAppDatabase, pgliteDir, webDatabase } from './bootstrap.js';
import { loadConfig } from './config.js';
import { AppError } from './core/errors.js';
import { frenchSpacing } from './core/typography.js';
import { importSeedIfEmpty } from './legacy-dump/seed.js';
import { warmSearch } from './search/search.service.js';
import { createLogger } from './web/logger.js';

/** How long a stop waits for the requests in flight before it ends the process anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  const say = (message: string) => log.info(frenchSpacing(message));

  say(
    config.databaseUrl
      ? 'Connexion à PostgreSQL…'
      : `Ouverture de la base intégrée (PGlite) dans ${pgliteDir(config)}… (quelques secondes)`,
  );
  const opened = await openAppDatabase(config, { worker: true });
  if (opened.appliedMigrations.length > 0) {
    say(`Base mise à jour : ${opened.appliedMigrations.length} migration(s) appliquée(s).`);
  }
  const seeded = await importSeedIfEmpty(opened.db, config.seedFile, (count) =>
    say(`Base vide : import des ${count} fiches de démonstration de ${config.seedFile}…`),
  );
  if (seeded) say(`${seeded.created} fiches importées.`);
  const database = await webDatabase(opened, config);
  // Built before the first visitor rather than during their search.
  const build = await warmSearch(database.db);
  say(`Index de recherche prêt : ${build.fiches} fiches en ${(build.ms / 1000).toFixed(1)} s.`);
  say('Préparation du site…');
  const app = await buildApp(database.db, config, { logger: log, poolStats: database.poolStats });

  let closing = false;
  // Stops accepting, lets the requests in flight end, then closes the database (and its lock).
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal} reçu : arrêt en cours…`);
    const force = setTimeout(() => {
      log.error('arrêt forcé : des requêtes ne se terminaient pas');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    await app.close();
    await database.close();
    say('Essaim est arrêté.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  say(`Essaim (${database.engine}) est prêt : ${config.publicUrl}`);
}

main().catch((error: unknown) => {
  if (error instanceof AppError && (error.code === 'invalid_config' || error.code === 'database_locked')) {
    console.error(frenchSpacing(`Essaim ne peut pas démarrer : ${error.message}`));
  } else {
    console.error(error);
  }
  process.exit(1);
});
