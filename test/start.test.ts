import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { essaim, ROOT, tempDir } from './helpers/processes.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the server as `npm start` does and resolves once it listens. */
async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('écoute sur')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${output}`));
    });
  });
  return child;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

describe('npm start on an empty data folder', () => {
  let work: { dir: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  let base: string;
  before(async () => {
    work = await tempDir('start');
    const port = await freePort();
    env = { DATA_DIR: path.join(work.dir, 'data'), PORT: String(port), HOST: '127.0.0.1' };
    base = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await work.remove();
  });

  it('imports the 25 seed fiches, serves them, and keeps them on disk across restarts', async () => {
    let server = await startServer(env);
    try {
      const home = await fetch(`${base}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /Le catalogue compte 25 fiches actions\./);
      const fiche = await fetch(`${base}/api/v1/actions/25`);
      assert.equal(fiche.status, 200);
      const body = (await fiche.json()) as { structure: { department: { name: string } } };
      assert.equal(body.structure.department.name, 'Vosges');

      // The embedded database is opened by one process only: a command run meanwhile says so.
      const locked = await essaim(['export', '--format', 'dump'], env);
      assert.equal(locked.code, 1);
      assert.match(locked.stderr, /déjà ouverte par un autre processus/);
    } finally {
      assert.equal(await stop(server), 0);
    }
    assert.equal(existsSync(path.join(work.dir, 'data', 'db.lock')), false);

    server = await startServer(env);
    try {
      const home = await (await fetch(`${base}/`)).text();
      assert.match(home, /Le catalogue compte 25 fiches actions\./);
    } finally {
      await stop(server);
    }
  });
});
