import { Command, InvalidArgumentError, Option } from 'commander';

/** Parses a positive integer option. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer is expected.');
  return n;
}

/** A benchmark's command with the options every one takes: the engine, and the set's size and seed. */
export function benchCommand(name: string, description: string, engine: 'pglite' | 'postgres' = 'pglite'): Command {
  return new Command(name)
    .description(description)
    .addOption(new Option('--engine <engine>', 'database').choices(['pglite', 'postgres']).default(engine))
    .option('--count <n>', 'fiches in the generated set', positiveInt, 100_000)
    .option('--seed <n>', 'seed of the generated set', positiveInt, 1);
}
