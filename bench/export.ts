// npm run bench:export -- --engine pglite|postgres --count 100000 [--seed 1] [--formats csv,xlsx,ndjson,json,dump]
//   [--runs 3] [--filter "keyword=vieillissement"]
// Exports the whole generated set (or a filtered search) to a sink that only counts bytes, and
// samples the process's memory every 50 ms: a streamed export stays flat whatever the count.
import { openAppDatabase } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { EXPORT_FORMATS, type ExportFormat } from '../src/exports/export-formats.js';
import { exportFiches } from '../src/exports/exports.service.js';
import { searchRequestOf } from '../src/search/search.params.js';
import { benchCommand, positiveInt } from './lib/args.js';
import { markdownTable } from './lib/stats.js';
import { type Engine, prepareTarget } from './lib/target.js';

interface Options {
  engine: Engine;
  count: number;
  seed: number;
  formats: ExportFormat[];
  runs: number;
  filter: string;
}

const MB = 1024 * 1024;

async function run(options: Options): Promise<void> {
  const { config } = await prepareTarget(options);
  const handle = await openAppDatabase(config, { worker: true });
  const rows: string[][] = [];
  try {
    for (const format of options.formats) {
      const seconds: number[] = [];
      let peakRss = 0;
      let peakHeap = 0;
      let bytes = 0;
      let fiches = 0;
      for (let i = 0; i < options.runs; i++) {
        global.gc?.();
        const baseRss = process.memoryUsage().rss;
        const sampler = setInterval(() => {
          const { rss, heapUsed } = process.memoryUsage();
          peakRss = Math.max(peakRss, rss - baseRss);
          peakHeap = Math.max(peakHeap, heapUsed);
        }, 50);
        bytes = 0;
        const started = performance.now();
        fiches = await exportFiches(
          handle.db,
          format,
          (chunk) => {
            bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
          },
          {
            search: searchRequestOf(options.filter),
            publicUrl: 'https://essaim.example',
            licence: loadConfig({}).site.licence,
          },
        );
        seconds.push((performance.now() - started) / 1000);
        clearInterval(sampler);
      }
      seconds.sort((a, b) => a - b);
      const median = seconds[Math.floor(seconds.length / 2)];
      rows.push([
        format,
        fiches.toLocaleString('en'),
        `${(bytes / MB).toFixed(1)} MB`,
        `${median.toFixed(1)} s`,
        `${Math.round(fiches / median).toLocaleString('en')}/s`,
        `${(peakRss / MB).toFixed(0)} MB`,
        `${(peakHeap / MB).toFixed(0)} MB`,
      ]);
      console.log(rows.at(-1)?.join(' | '));
    }
  } finally {
    await handle.close();
  }
  console.log(
    `\n${options.engine}, ${options.count} fiches, filter «${options.filter}», median of ${options.runs} runs:\n`,
  );
  console.log(
    markdownTable(['format', 'fiches', 'size', 'median time', 'fiches/s', 'peak RSS growth', 'peak heap'], rows),
  );
}

const program = benchCommand('bench:export', 'times the exports of the generated set, format by format', 'postgres')
  .option('--formats <list>', 'formats, comma-separated', (v: string) => v.split(',') as ExportFormat[], [
    ...EXPORT_FORMATS,
  ])
  .option('--runs <n>', 'runs per format', positiveInt, 3)
  .option('--filter <query>', 'search parameters as in the site’s addresses', '')
  .action((options: Options) => run(options));
await program.parseAsync();
