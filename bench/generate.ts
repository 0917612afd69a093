// npm run bench:generate -- --count 100000 --seed 1 [--out file]
import { Command } from 'commander';
import { positiveInt } from './lib/args.js';
import { dumpPath, writeGeneratedDump } from './lib/dump-file.js';

const program = new Command('bench:generate')
  .description('writes a deterministic set of synthetic fiches in the legacy dump format')
  .option('--count <n>', 'number of fiches', positiveInt, 100_000)
  .option('--seed <n>', 'random seed', positiveInt, 1)
  .option('--out <file>', 'output file (default: bench/data/fiches-<count>-s<seed>.txt)')
  .action(async (options: { count: number; seed: number; out?: string }) => {
    const file = options.out ?? dumpPath(options.count, options.seed);
    const started = performance.now();
    const size = await writeGeneratedDump(file, options.count, options.seed);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${options.count} fiches, ${(size / 1e6).toFixed(1)} MB (${Math.round(size / options.count)} bytes a fiche), written to ${file} in ${seconds.toFixed(1)} s`,
    );
  });

await program.parseAsync();
