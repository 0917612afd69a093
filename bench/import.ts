// npm run bench:import -- --engine pglite|postgres --count 100000 [--seed 1] [--runs 3]
// Imports the generated set into an empty, migrated database with `essaim import`, as a user
// would, several times; prints each run's wall time, then the median and the worst.
import { benchCommand, positiveInt } from './lib/args.js';
import { markdownTable, percentile } from './lib/stats.js';
import { type Engine, prepareTarget } from './lib/target.js';

interface Options {
  engine: Engine;
  count: number;
  seed: number;
  runs: number;
}

async function run(options: Options): Promise<void> {
  const seconds: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const { importSeconds } = await prepareTarget({ ...options, reimport: true });
    seconds.push(importSeconds as number);
    console.log(`run ${i + 1}: ${(importSeconds as number).toFixed(1)} s`);
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  console.log(`\n${options.engine}, ${options.count} fiches (seed ${options.seed}), ${options.runs} imports:\n`);
  console.log(
    markdownTable(
      ['engine', 'fiches', 'runs', 'median s', 'p95 s', 'fiches/s (median)'],
      [
        [
          options.engine,
          options.count.toLocaleString('en'),
          String(options.runs),
          percentile(sorted, 0.5).toFixed(1),
          percentile(sorted, 0.95).toFixed(1),
          Math.round(options.count / percentile(sorted, 0.5)).toLocaleString('en'),
        ],
      ],
    ),
  );
}

const program = benchCommand(
  'bench:import',
  'times `essaim import` of the generated set into an empty database, several times',
)
  .option('--runs <n>', 'imports, each into a new database', positiveInt, 3)
  .action((options: Options) => run(options));
await program.parseAsync();
