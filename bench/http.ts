// npm run bench:http -- --engine pglite|postgres --count 100000 [--seed 1] [--duration 30] [--connections 10]
//   [--queries 320] [--writes-per-second 1] [--profile tmp/prof]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Config } from '../src/config.js';
import { benchCommand, positiveInt } from './lib/args.js';
import { loadMix, mixPath } from './lib/mix.js';
import { markdownTable, ms } from './lib/stats.js';
import { type Engine, prepareTarget } from './lib/target.js';

interface Options {
  engine: Engine;
  count: number;
  seed: number;
  duration: number;
  connections: number;
  queries?: number;
  port: number;
  /** Fiches edited a second by the server process while the load runs (0: none). */
  writesPerSecond: number;
  /** Folder the server writes a V8 CPU profile to when it stops. */
  profile?: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/** Starts `npm start`'s program on the target's database, as its own process, and waits until it answers. */
async function startServer(
  config: Config,
  port: number,
  writesPerSecond: number,
  profile?: string,
): Promise<{ child: ChildProcess; base: string; firstAnswerSeconds: number }> {
  const started = performance.now();
  const env = {
    ...process.env,
    DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl ?? '',
    SEED_FILE: '',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    WRITES_PER_SECOND: String(writesPerSecond),
    // One client measuring throughput: the per-client limits and the lag guard would measure themselves.
    SEARCHES_PER_MINUTE: '0',
    EXPORTS_PER_MINUTE: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
  };
  // With writes, the server and its editor (bench/lib/serve.ts); else `npm start`'s program.
  const program = writesPerSecond > 0 ? path.join(ROOT, 'bench', 'lib', 'serve.ts') : path.join(ROOT, 'src', 'main.ts');
  const profiling = profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', program], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      // The first answer that needs the search index, which is built at start.
      if ((await fetch(`${base}/api/v1/actions?q=centre+social`)).ok) {
        return { child, base, firstAnswerSeconds: (performance.now() - started) / 1000 };
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill();
  throw new Error('the server did not answer within two minutes');
}

/** Runs autocannon over these paths, each connection taking the next path of the shared list. */
async function load(base: string, paths: string[], options: Options): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: base,
    connections: options.connections,
    duration: options.duration,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] }) }],
  });
}

async function run(options: Options): Promise<void> {
  const { config } = await prepareTarget(options);
  const mix = await loadMix(options.queries);
  const targets = [
    { name: 'results page /actions', paths: mix.map((q) => mixPath('/actions', q)) },
    { name: 'API /api/v1/actions', paths: mix.map((q) => mixPath('/api/v1/actions', q)) },
  ];
  const { child, base, firstAnswerSeconds } = await startServer(
    config,
    options.port,
    options.writesPerSecond,
    options.profile,
  );
  const rows: string[][] = [];
  let failures = 0;
  try {
    for (const target of targets) {
      // One pass first, as a running service has had: the measured run is the second.
      for (const address of target.paths) {
        const response = await fetch(base + address);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${address} answered ${response.status}`);
      }
      const result = await load(base, target.paths, options);
      failures += result.non2xx + result.errors + result.timeouts;
      rows.push([
        target.name,
        result.requests.average.toFixed(0),
        ms(result.latency.p50),
        ms(result.latency.p90),
        ms(result.latency.p99),
        ms(result.latency.max),
        String(result.requests.total),
        String(result.non2xx + result.errors + result.timeouts),
      ]);
    }
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  console.log(
    `\n${options.engine}, ${options.count} fiches, ${mix.length} queries in turn, ${options.connections} connections, ` +
      `${options.duration} s a target, ${options.writesPerSecond} publication(s) a second; ` +
      `start to first search answer ${firstAnswerSeconds.toFixed(1)} s\n`,
  );
  console.log(markdownTable(['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'requests', 'failed'], rows));
  if (failures > 0) process.exitCode = 1;
}

const program = benchCommand('bench:http', 'loads the results page and the search API with concurrent connections')
  .option('--duration <s>', 'seconds of load a target', positiveInt, 30)
  .option('--connections <n>', 'concurrent connections', positiveInt, 10)
  .option('--queries <n>', 'only the first n queries of the mix', positiveInt)
  .option('--port <n>', 'port of the server under test', positiveInt, 3999)
  .option('--writes-per-second <n>', 'fiches the server edits a second while the load runs', Number, 0)
  .option('--profile <dir>', 'folder where the server writes a CPU profile when it stops')
  .action(run);

await program.parseAsync();
