import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FIXTURES } from '../../test/helpers/databases.js';
import { startWorker } from './worker-rpc.js';

const ECHO = pathToFileURL(path.join(FIXTURES, 'workers', 'echo-worker-entry.mjs'));

describe('worker threads', () => {
  it('answers requests, then closes', async () => {
    const worker = await startWorker<string, string>(ECHO, {});
    assert.deepEqual(await Promise.all([worker.request('un'), worker.request('deux')]), ['un', 'deux']);
    await worker.close();
  });

  it('says why a worker could not start, and stops it', async () => {
    // A worker left running would keep this test's process alive past its end.
    await assert.rejects(startWorker(ECHO, { fail: true }), /réglages illisibles/);
  });

  it('fails what waits for a worker that stopped dead, and still closes', async () => {
    const worker = await startWorker<string, string>(ECHO, {});
    await assert.rejects(worker.request('crash'), /exit code 3/);
    await assert.rejects(worker.request('encore'), /exit code 3/);
    await worker.close();
  });
});
