// Entry point of the worker thread that owns the embedded database, so that a long
// statement never blocks the web server's event loop.
import { serveRequests } from '../core/worker-rpc.js';
import type { RunnerResult } from './pglite-pool.js';
import { openPglite } from './pglite-runner.js';

/** A statement for the worker's database, with a COPY's rows when it is one. */
export interface PgliteRequest {
  sql: string;
  params: unknown[];
  blob?: Uint8Array;
}

serveRequests<PgliteRequest, RunnerResult>(async (data) => {
  const runner = await openPglite((data as { dataDir?: string }).dataDir);
  return {
    handle: (request) => runner.query(request.sql, request.params, request.blob),
    close: () => runner.close(),
  };
});
