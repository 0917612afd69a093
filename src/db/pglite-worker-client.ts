import { startWorker } from '../core/worker-rpc.js';
import type { QueryRunner, RunnerResult } from './pglite-pool.js';
import type { PgliteRequest } from './pglite-worker.js';

/**
 * Opens PGlite in a worker thread, on disk in dataDir or in memory without it, and returns a
 * runner that forwards statements to it.
 */
export async function openPgliteInWorker(dataDir: string | undefined): Promise<QueryRunner> {
  const worker = await startWorker<PgliteRequest, RunnerResult>(new URL('./pglite-worker-entry.mjs', import.meta.url), {
    dataDir,
  });
  return {
    // A COPY's rows are handed over, not copied: they are megabytes and nobody reads them after.
    query: (sql, params, blob) =>
      worker.request({ sql, params: params as unknown[], blob }, blob ? [blob.buffer as ArrayBuffer] : []),
    close: () => worker.close(),
  };
}
