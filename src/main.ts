import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseLockedError } from './db/lock.js';
import { openAppDatabase } from './db/setup.js';
import { importSeedIfEmpty } from './legacy-dump/seed.js';
import { frenchSpacing } from './web/typography.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openAppDatabase(config, { worker: true });
  const seeded = await importSeedIfEmpty(database.db, config.seedFile);
  const app = await buildApp(database.db, config);
  if (seeded) app.log.info(`Première mise en route : ${seeded.created} fiches importées depuis ${config.seedFile}.`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal} reçu, arrêt en cours`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Essaim (${database.engine}) écoute sur http://${config.host}:${config.port}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
    console.error(frenchSpacing(`Essaim ne peut pas démarrer : ${error.message}`));
  } else {
    console.error(error);
  }
  process.exit(1);
});
