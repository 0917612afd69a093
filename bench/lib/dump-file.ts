import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { HEADER } from '../../src/legacy-dump/format.js';
import { ficheLines, writeDump } from '../../src/legacy-dump/writer.js';
import { FicheGenerator } from './fiches.js';

/** Where generated dumps and PGlite databases are kept between runs (ignored by git); tests move it. */
export const DATA_DIR = process.env.BENCH_DATA_DIR ?? new URL('../data/', import.meta.url).pathname;

/** The file of the generated set with this size and seed. */
export function dumpPath(count: number, seed: number): string {
  return path.join(DATA_DIR, `fiches-${count}-s${seed}.txt`);
}

/** About 25 fiches per structure, as the observatory's centres publish. */
export function structureCount(count: number): number {
  return Math.max(1, Math.round(count / 25));
}

/** A small generated set as a string, for tests. */
export function generatedDump(count: number, seed: number): string {
  const generator = new FicheGenerator(seed, structureCount(count));
  return writeDump(Array.from({ length: count }, () => generator.next()));
}

/**
 * Writes `count` generated fiches in the dump format, streaming, and returns the file's size.
 * Written beside the target and renamed, so that an interrupted run never leaves half a set.
 */
export async function writeGeneratedDump(file: string, count: number, seed: number): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temporary);
  const generator = new FicheGenerator(seed, structureCount(count));
  out.write(HEADER);
  for (let i = 0; i < count; i++) {
    if (!out.write(`\n${ficheLines(generator.next()).join('\n')}`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rename(temporary, file);
  return (await stat(file)).size;
}

/** The generated set's file, written first when it does not exist yet. */
export async function ensureGeneratedDump(count: number, seed: number): Promise<string> {
  const file = dumpPath(count, seed);
  const exists = await stat(file).then(
    () => true,
    () => false,
  );
  if (!exists) await writeGeneratedDump(file, count, seed);
  return file;
}
