import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs the `essaim` command as a user would, and returns its exit code and outputs. */
export function essaim(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'essaim.js'), ...args],
      // A developer's own .env never reaches the tests.
      { cwd: ROOT, env: { ...process.env, ESSAIM_ENV_FILE: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A new empty folder, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `essaim-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Starts the server with `npm start`, as a user does (or straight with node, as the systemd unit
 * does), and resolves once it is ready.
 */
export async function startServer(
  env: NodeJS.ProcessEnv,
  options: { viaNpm?: boolean } = { viaNpm: true },
): Promise<ChildProcess & { output: () => string }> {
  const [command, args] = options.viaNpm
    ? ['npm', ['start', '--silent']]
    : [process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'main.ts')]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ESSAIM_ENV_FILE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // Generous: a first start on a loaded machine migrates and imports before it listens.
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('est prêt')) {
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
  return Object.assign(child, { output: () => output });
}

/** Sends SIGTERM to the process `npm start` is, and waits for it to end. */
export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/** A port nothing listens on at the moment. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Fetches a page of a server just started as a visitor would: told by the lag guard's French
 * 503 that the site is busy (a loaded machine, the start-up's last work), they try again a
 * moment later. Any other answer is returned as it is.
 */
export async function fetchAsVisitor(url: string, tries = 20): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url);
    if (response.status !== 503 || !response.headers.has('retry-after') || attempt === tries) return response;
    assert.match(await response.text(), /très chargé en ce moment/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
