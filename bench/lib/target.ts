import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { countActions } from '../../src/actions/actions.repository.js';
import { openAppDatabase } from '../../src/bootstrap.js';
import { type Config, loadConfig } from '../../src/config.js';
import { DATA_DIR, ensureGeneratedDump } from './dump-file.js';

export type Engine = 'pglite' | 'postgres';

/** Which database a benchmark runs on and with which generated set. */
export interface BenchTarget {
  engine: Engine;
  count: number;
  seed: number;
  /** Import again even when the database already holds the set. */
  reimport?: boolean;
  /** PostgreSQL server to create the benchmark database on. */
  serverUrl?: string;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The PostgreSQL server benchmarks use unless told otherwise. */
export function defaultServerUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** The app's configuration for the target's own database (one per engine, size and seed). */
export function targetConfig(target: BenchTarget): Config {
  const name = `essaim_bench_${target.count}_s${target.seed}`;
  if (target.engine === 'pglite') {
    return loadConfig({ DATA_DIR: path.join(DATA_DIR, name), SEED_FILE: '', LOG_LEVEL: 'warn' });
  }
  const url = new URL(target.serverUrl ?? defaultServerUrl());
  url.pathname = `/${name}`;
  return loadConfig({ DATABASE_URL: url.toString(), SEED_FILE: '', LOG_LEVEL: 'warn' });
}

async function resetDatabase(target: BenchTarget, config: Config): Promise<void> {
  if (target.engine === 'pglite') {
    await rm(config.dataDir, { recursive: true, force: true });
    return;
  }
  const name = new URL(config.databaseUrl as string).pathname.slice(1);
  const client = new pg.Client({ connectionString: target.serverUrl ?? defaultServerUrl() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

async function storedCount(config: Config): Promise<number> {
  const handle = await openAppDatabase(config);
  try {
    return await countActions(handle.db);
  } finally {
    await handle.close();
  }
}

/** Runs `essaim import` as a user would, progress bar included, and returns its wall time in seconds. */
function runImport(file: string, config: Config): Promise<number> {
  const env = { ...process.env, DATA_DIR: config.dataDir, DATABASE_URL: config.databaseUrl ?? '', SEED_FILE: '' };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'essaim.js'), 'import', file], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve((performance.now() - started) / 1000);
      else reject(new Error(`essaim import exited with ${code}`));
    });
  });
}

/**
 * Makes sure the target's database holds the generated set, importing it through the CLI
 * when it does not; returns the configuration and the import time when there was one.
 */
export async function prepareTarget(target: BenchTarget): Promise<{ config: Config; importSeconds?: number }> {
  const config = targetConfig(target);
  const file = await ensureGeneratedDump(target.count, target.seed);
  if (!target.reimport) {
    const count = await storedCount(config).catch(() => -1);
    if (count === target.count) return { config };
  }
  await resetDatabase(target, config);
  await storedCount(config); // migrations and reference data, outside the timed import
  return { config, importSeconds: await runImport(file, config) };
}
