// npm run bench:search -- --engine pglite|postgres --count 100000 [--seed 1] [--queries 320] [--passes 2]
//   [--variants baseline,current] [--reimport] [--cold] [--build-only]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openAppDatabase } from '../src/bootstrap.js';
import { liveIndexOf } from '../src/search/index/index.service.js';
import { search, warmSearch } from '../src/search/search.service.js';
import { benchCommand, positiveInt } from './lib/args.js';
import { editFiche } from './lib/edit.js';
import { hostileQueries } from './lib/hostile.js';
import { loadMix, type MixQuery } from './lib/mix.js';
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
  /** Every search asked once, right after a write: the first time, as most searches are. */
  cold?: boolean;
  /** Only the index's build and its memory, no search. */
  buildOnly?: boolean;
}

interface Sample {
  variant: VariantName;
  line: 'mix' | 'hostile';
  ms: number;
  total: number;
  query: MixQuery;
}

const WARM_UP: MixQuery[] = [
  { kind: 'common', q: 'bénévolat' },
  { kind: 'syntax', q: '"repas partagé" jeunes OR familles -sport' },
  { kind: 'facets', filters: { status: ['en-cours'] }, sort: 'title' },
];

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

/** Builds the search index (and the snippets' lexemes) as the server does at start, and says what it took. */
async function buildIndex(db: Parameters<typeof liveIndexOf>[0]): Promise<void> {
  globalThis.gc?.();
  const before = process.memoryUsage();
  const live = liveIndexOf(db);
  const build = await warmSearch(db);
  // Array buffers are freed by a background task after the collection that finds them dead.
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  globalThis.gc?.();
  const after = process.memoryUsage();
  const stats = (await live.fresh()).index.stats();
  console.log(
    `search index: ${stats.fiches} fiches, ${stats.lexemes} lexemes, ${stats.postings} postings, built in ` +
      `${(build.ms / 1000).toFixed(1)} s; typed arrays ${mb(stats.bytes)}, RSS growth ${mb(after.rss - before.rss)} ` +
      `(heap used ${mb(after.heapUsed - before.heapUsed)}, heap reserved ${mb(after.heapTotal - before.heapTotal)}, ` +
      `array buffers ${mb(after.arrayBuffers - before.arrayBuffers)}; RSS ${mb(before.rss)} before, ${mb(after.rss)} after)`,
  );
}

async function run(options: Options): Promise<void> {
  const { config, importSeconds } = await prepareTarget(options);
  if (importSeconds !== undefined) {
    console.log(`import of ${options.count} fiches (essaim import): ${importSeconds.toFixed(1)} s`);
  }
  // The web server's own set-up: PGlite in a worker thread, PostgreSQL through a pool.
  const handle = await openAppDatabase(config, { worker: true });
  const mix = await loadMix(options.queries);
  const queries: Array<{ line: Sample['line']; query: MixQuery }> = [
    ...mix.map((query) => ({ line: 'mix' as const, query })),
    ...hostileQueries().map((query) => ({ line: 'hostile' as const, query })),
  ];
  const stall = monitorEventLoopDelay({ resolution: 5 });
  const passes: Sample[][] = [];
  let mismatches = 0;
  if (options.buildOnly || options.variants.some((v) => VARIANTS[v].index)) await buildIndex(handle.db);
  if (options.buildOnly) return handle.close();
  // The fiches edited before each cold search, in turn.
  const editable = (await handle.db.selectFrom('action_search').select('action_id').limit(1000).execute()).map(
    (r) => r.action_id,
  );
  let edits = 0;
  const passCount = options.cold ? 1 : options.passes;
  try {
    // A running service has answered searches before: the first ones of a process compile its
    // code paths (about 100 ms). Searches outside the mix, so that no result row of it is kept.
    if (options.cold) {
      for (const variant of options.variants)
        for (const query of WARM_UP) await search(handle.db, query, VARIANTS[variant]);
    }
    for (let pass = 1; pass <= passCount; pass++) {
      // The last pass is the one measured: the first ones warm the caches, as a running service has them.
      const last = pass === passCount;
      const samples: Sample[] = [];
      if (last) stall.enable();
      for (const [index, { line, query }] of queries.entries()) {
        let reference: string | undefined;
        // Variants take turns going first, so that none always gets the warmer cache.
        for (let k = 0; k < options.variants.length; k++) {
          const variant = options.variants[(index + k) % options.variants.length];
          if (options.cold) await editFiche(handle.db, editable[edits++ % editable.length]);
          const started = performance.now();
          const result = await search(handle.db, { ...query }, VARIANTS[variant]);
          samples.push({ variant, line, ms: performance.now() - started, total: result.total, query });
          // Orders other than relevance are the same for every variant; relevance is the index's own.
          const order = result.sort === 'relevance' ? null : result.items.map((i) => i.id);
          const outcome = JSON.stringify([result.total, result.facets, order]);
          if (reference === undefined) reference = outcome;
          else if (outcome !== reference) mismatches++;
        }
      }
      if (last) stall.disable();
      passes.push(samples);
      console.error(`pass ${pass} of ${passCount} done`);
    }
  } finally {
    await handle.close();
  }

  for (const [index, samples] of passes.entries()) {
    const pass = index + 1;
    const stallNote =
      pass === passCount ? `, worst event-loop stall ${ms(stall.max / 1e6)} ms over the pass (all variants)` : '';
    const mode = options.cold ? 'cold: each search once, right after a write' : `pass ${pass} of ${passCount}`;
    console.log(
      `\n${handle.engine}, ${options.count} fiches, ${mix.length} queries of the mix and ${queries.length - mix.length} hostile ones, ${mode}${stallNote}\n`,
    );
    console.log(
      markdownTable(
        ['variant', 'queries', 'median ms', 'p95 ms', 'p99 ms', 'max ms', `p95 broad ms (n > ${BROAD})`],
        options.variants.flatMap((variant) =>
          (['mix', 'hostile'] as const).map((line) => {
            const mine = samples.filter((s) => s.variant === variant && s.line === line);
            const all = summarize(mine.map((s) => s.ms));
            const broad = summarize(mine.filter((s) => s.total > BROAD).map((s) => s.ms));
            return [
              variant,
              line,
              ms(all.median),
              ms(all.p95),
              ms(all.p99),
              ms(all.max),
              `${ms(broad.p95)} (${broad.n})`,
            ];
          }),
        ),
      ),
    );
  }
  // Six queries make the hostile line: its median is set by the third and fourth of them.
  const hostile = (passes.at(-1) ?? []).filter((s) => s.line === 'hostile');
  console.log(
    `\nhostile, one by one: ${hostile.map((s) => `${ms(s.ms)} ms ${s.variant} ${JSON.stringify(s.query.q?.slice(0, 40))}…`).join('; ')}`,
  );
  // The slowest searches of the measured pass, to know where the tail comes from.
  const slowest = [...(passes.at(-1) ?? [])].sort((a, b) => b.ms - a.ms).slice(0, 5);
  console.log(
    `\nslowest: ${slowest.map((s) => `${ms(s.ms)} ms ${s.variant} ${JSON.stringify(s.query)} (${s.total})`).join('; ')}`,
  );
  if (options.variants.length > 1) {
    console.log(
      mismatches === 0
        ? '\nEvery variant gave the same totals, facet counts and orders (relevance aside).'
        : `\n${mismatches} searches differed between variants.`,
    );
  }
  if (mismatches > 0) process.exitCode = 1;
}

const program = benchCommand('bench:search', 'times the full search of the results page over a fixed query mix')
  .option('--queries <n>', 'only the first n queries of the mix', positiveInt)
  .option('--passes <n>', 'passes over the mix; the last is measured', positiveInt, 2)
  .option('--variants <names>', `comma-separated, among ${Object.keys(VARIANTS).join(', ')}`, 'current')
  .option('--reimport', 'import the set again even if the database holds it')
  .option('--cold', 'ask each search once, right after a write (an edit of a fiche), every cache on')
  .option('--build-only', 'only build the index as at start and print its size and memory')
  .action(async (raw: Omit<Options, 'variants'> & { variants: string }) => {
    const variants = raw.variants.split(',').map((v) => v.trim()) as VariantName[];
    const unknown = variants.find((v) => !(v in VARIANTS));
    if (unknown) program.error(`unknown variant: ${unknown}`);
    await run({ ...raw, variants });
  });

await program.parseAsync();
