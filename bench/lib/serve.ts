// The web server as `npm start` runs it, plus an editor publishing `WRITES_PER_SECOND` fiches a
// second from inside the process, as approvals arriving through the site would: every search
// then meets a catalogue that changed since the last one.
import { buildApp } from '../../src/app.js';
import { openAppDatabase } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import { warmSearch } from '../../src/search/search.service.js';
import { editFiche } from './edit.js';

const config = loadConfig();
const database = await openAppDatabase(config, { worker: true });
await warmSearch(database.db);
const app = await buildApp(database.db, config);
const rate = Number(process.env.WRITES_PER_SECOND ?? '0');
const editable = (await database.db.selectFrom('action_search').select('action_id').limit(1000).execute()).map(
  (r) => r.action_id,
);
let writes = 0;
let writing = Promise.resolve();
const timer =
  rate > 0
    ? setInterval(() => {
        writing = writing.then(() => editFiche(database.db, editable[writes++ % editable.length]));
      }, 1000 / rate)
    : undefined;
process.on('SIGTERM', () => {
  void (async () => {
    clearInterval(timer);
    await writing;
    console.error(`writes: ${writes}`);
    await app.close();
    await database.close();
    process.exit(0);
  })();
});
await app.listen({ port: config.port, host: config.host });
