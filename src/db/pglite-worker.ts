// Entry point of the worker thread that owns the embedded database, so that a long
// statement never blocks the web server's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from './pglite-runner.js';

interface Request {
  id: number;
  sql: string;
  params: unknown[];
  blob?: Uint8Array;
}

const port = parentPort;
if (!port) throw new Error('pglite-worker must run in a worker thread');

const opening = openPglite((workerData as { dataDir?: string }).dataDir);
opening.then(
  () => port.postMessage({ ready: true }),
  (error: Error) => port.postMessage({ ready: false, error: { message: error.message } }),
);

port.on('message', async (message: Request | 'close') => {
  const runner = await opening;
  if (message === 'close') {
    await runner.close();
    port.postMessage({ closed: true });
    return;
  }
  try {
    const result = await runner.query(message.sql, message.params, message.blob);
    port.postMessage({ id: message.id, result });
  } catch (error) {
    const e = error as Error & Record<string, unknown>;
    port.postMessage({
      id: message.id,
      error: { message: e.message, code: e.code, detail: e.detail, constraint: e.constraint, position: e.position },
    });
  }
});
