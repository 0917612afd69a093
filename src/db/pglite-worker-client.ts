import { Worker } from 'node:worker_threads';
import type { QueryRunner, RunnerResult } from './pglite-pool.js';

type Reply =
  | { id: number; result: RunnerResult }
  | { id: number; error: Record<string, unknown> & { message: string } }
  | { ready: boolean; error?: { message: string } }
  | { closed: true };

/**
 * Opens PGlite in a worker thread, on disk in dataDir or in memory without it, and returns a
 * runner that forwards statements to it.
 */
export async function openPgliteInWorker(dataDir: string | undefined): Promise<QueryRunner> {
  const worker = new Worker(new URL('./pglite-worker-entry.mjs', import.meta.url), { workerData: { dataDir } });
  const pending = new Map<number, { resolve: (r: never) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let onClosed: (() => void) | undefined;

  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', function onReady(reply: Reply) {
      if (!('ready' in reply)) return;
      worker.off('message', onReady);
      worker.off('error', reject);
      if (reply.ready) resolve();
      else reject(new Error(reply.error?.message ?? 'PGlite could not start'));
    });
  });

  worker.on('message', (reply: Reply) => {
    if ('closed' in reply) return onClosed?.();
    if (!('id' in reply)) return;
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiter) return;
    if ('result' in reply) waiter.resolve(reply.result as never);
    else waiter.reject(Object.assign(new Error(reply.error.message), reply.error));
  });
  worker.on('error', (error) => {
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });

  return {
    query(sql, params, blob) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // A COPY's rows are handed over, not copied: they are megabytes and nobody reads them after.
        worker.postMessage({ id, sql, params, blob }, blob ? [blob.buffer as ArrayBuffer] : []);
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        onClosed = resolve;
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
