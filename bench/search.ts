// npm run bench:search -- --engine pglite|postgres --count 100000 [--seed 1] [--queries 320] [--passes 2]
//   [--variants baseline,current] [--reimport]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Command, Option } from 'commander';
import { openAppDatabase } from '../src/db/setup.js';
import { search } from '../src/search/search.service.js';
import { positiveInt } from './lib/args.js';
import { loadMix } from './lib/mix.js';
import { markdownTable, ms, summarize } from './lib/stats.js';
import { type Engine, prepareTarget } from './lib/target.js';
import { VARIANTS, type VariantName } from './lib/variants.js';

// More results than this makes a query "broad": the hard case for ranking and facet counts.
const BROAD = 10_000;

interface Options {
  engine: Engine;
  count: number;
  seed: number;
  queries?: number;
  passes: number;
  variants: VariantName[];
  reimport?: boolean;
}

interface Sample {
  variant: VariantName;
  ms: number;
  total: number;
}

async function run(options: Options): Promise<void> {
  const { config, importSeconds } = await prepareTarget(options);
  if (importSeconds !== undefined) {
    console.log(`import of ${options.count} fiches (essaim import): ${importSeconds.toFixed(1)} s`);
  }
  // The web server's own set-up: PGlite in a worker thread, PostgreSQL through a pool.
  const handle = await openAppDatabase(config, { worker: true });
  const mix = await loadMix(options.queries);
  const stall = monitorEventLoopDelay({ resolution: 5 });
  const passes: Sample[][] = [];
  let mismatches = 0;
  try {
    for (let pass = 1; pass <= options.passes; pass++) {
      // The last pass is the one measured: the first ones warm the caches, as a running service has them.
      const last = pass === options.passes;
      const samples: Sample[] = [];
      if (last) stall.enable();
      for (const [index, query] of mix.entries()) {
        let reference: string | undefined;
        // Variants take turns going first, so that none always gets the warmer cache.
        for (let k = 0; k < options.variants.length; k++) {
          const variant = options.variants[(index + k) % options.variants.length];
          const started = performance.now();
          const result = await search(handle.db, { ...query }, VARIANTS[variant]);
          samples.push({ variant, ms: performance.now() - started, total: result.total });
          const outcome = JSON.stringify([result.total, result.items, result.facets, result.suggestion]);
          if (reference === undefined) reference = outcome;
          else if (outcome !== reference) mismatches++;
        }
      }
      if (last) stall.disable();
      passes.push(samples);
      console.error(`pass ${pass} of ${options.passes} done`);
    }
  } finally {
    await handle.close();
  }

  for (const [index, samples] of passes.entries()) {
    const pass = index + 1;
    const stallNote =
      pass === options.passes ? `, worst event-loop stall ${ms(stall.max / 1e6)} ms over the pass (all variants)` : '';
    console.log(
      `\n${handle.engine}, ${options.count} fiches, ${mix.length} queries, pass ${pass} of ${options.passes}${stallNote}\n`,
    );
    console.log(
      markdownTable(
        ['variant', 'median ms', 'p95 ms', 'p99 ms', 'max ms', `p95 broad ms (n > ${BROAD})`],
        options.variants.map((variant) => {
          const mine = samples.filter((s) => s.variant === variant);
          const all = summarize(mine.map((s) => s.ms));
          const broad = summarize(mine.filter((s) => s.total > BROAD).map((s) => s.ms));
          return [variant, ms(all.median), ms(all.p95), ms(all.p99), ms(all.max), `${ms(broad.p95)} (${broad.n})`];
        }),
      ),
    );
  }
  if (options.variants.length > 1) {
    console.log(
      mismatches === 0
        ? '\nEvery variant gave the same results, facet counts and suggestions.'
        : `\n${mismatches} searches differed between variants.`,
    );
  }
  if (mismatches > 0) process.exitCode = 1;
}

const program = new Command('bench:search')
  .description('times the full search of the results page over a fixed query mix')
  .addOption(new Option('--engine <engine>', 'database').choices(['pglite', 'postgres']).default('pglite'))
  .option('--count <n>', 'fiches in the generated set', positiveInt, 100_000)
  .option('--seed <n>', 'seed of the generated set', positiveInt, 1)
  .option('--queries <n>', 'only the first n queries of the mix', positiveInt)
  .option('--passes <n>', 'passes over the mix; the last is measured', positiveInt, 2)
  .option('--variants <names>', `comma-separated, among ${Object.keys(VARIANTS).join(', ')}`, 'current')
  .option('--reimport', 'import the set again even if the database holds it')
  .action(async (raw: Omit<Options, 'variants'> & { variants: string }) => {
    const variants = raw.variants.split(',').map((v) => v.trim()) as VariantName[];
    const unknown = variants.find((v) => !(v in VARIANTS));
    if (unknown) program.error(`unknown variant: ${unknown}`);
    await run({ ...raw, variants });
  });

await program.parseAsync();
