import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { BulkBuilder } from './bulk-build.js';
import { readAllIndexRows, readIndexChanges } from './index.repository.js';
import type { SearchIndex } from './search-index.js';

// Past this many changed fiches, a catch-up reads everything again instead.
const CATCH_UP_LIMIT = 20_000;
const BUILD_BATCH = 5_000;
const BUILD_SLICE = 250;

/** How long the last full build took, and how big the index is. */
export interface BuildReport {
  fiches: number;
  ms: number;
}

/**
 * A process's search index kept at the database's generation: a search asks for the
 * generation it read, and waits until the index has caught up with it. Catch-ups run one at a
 * time; a search that arrives during one waits for it, or for the next one if it read later.
 */
export class LiveIndex {
  private index: SearchIndex | undefined;
  private generation = -1n;
  private reference = -1n;
  private running: Promise<{ index: SearchIndex; generation: bigint; reference: bigint }> | undefined;
  private next: Promise<{ index: SearchIndex; generation: bigint; reference: bigint }> | undefined;
  private compacting = false;
  /** The last full build, for the logs and the benchmarks. */
  lastBuild: BuildReport | undefined;
  /** Why the last compaction failed, if it did. */
  compactionError: unknown;

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The index with every change committed before this call, and the generations it is at. One
   * statement reads the changes and the generations; calls that arrive while one runs share
   * the next one, since the running one's snapshot may be older than their call.
   */
  async fresh(): Promise<{ index: SearchIndex; generation: bigint; reference: bigint }> {
    if (this.running) {
      this.next ??= this.running.then(() => {
        this.next = undefined;
        return this.fresh();
      });
      return this.next;
    }
    const running = this.catchUp().then(() => ({
      index: this.index as SearchIndex,
      generation: this.generation,
      reference: this.reference,
    }));
    this.running = running.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Builds the index now (at start-up) rather than at the first search. */
  async warm(): Promise<BuildReport> {
    await this.fresh();
    return this.lastBuild as BuildReport;
  }

  private async catchUp(): Promise<void> {
    if (!this.index) await this.rebuild();
    const index = this.index as SearchIndex;
    const changes = await readIndexChanges(this.db, this.generation, CATCH_UP_LIMIT);
    this.reference = changes.reference;
    if (changes.reset || changes.tooMany) {
      await this.rebuild();
      return;
    }
    // Removed first, then added again, synchronously: a search sees a change whole or not at all.
    index.remove(changes.changedIds);
    index.upsert(changes.rows);
    this.generation = changes.generation;
    // Every change leaves a dead slot: past as many dead as live ones, build a compact copy.
    if (index.slots > 2 * index.size + 1000 && !this.compacting) this.compactLater();
  }

  private async build(): Promise<{ index: SearchIndex; generation: bigint }> {
    const started = performance.now();
    const builder = new BulkBuilder();
    const generation = await readAllIndexRows(this.db, BUILD_BATCH, async (rows) => {
      // Taken in by slices, letting searches run between them: a compaction builds while the
      // service answers, and a whole batch at once held the event loop for half a second.
      for (let i = 0; i < rows.length; i += BUILD_SLICE) {
        builder.add(rows.slice(i, i + BUILD_SLICE));
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    const index = builder.finish();
    this.lastBuild = { fiches: index.size, ms: performance.now() - started };
    return { index, generation };
  }

  private async rebuild(): Promise<void> {
    const { index, generation } = await this.build();
    this.index = index;
    this.generation = generation;
  }

  /** Builds a compact copy while searches go on with the current index, then swaps them. */
  private compactLater(): void {
    this.compacting = true;
    void (async () => {
      try {
        const { index, generation } = await this.build();
        // Swapped between two catch-ups; the next search brings it to the current generation.
        while (this.running) await this.running.catch(() => undefined);
        this.index = index;
        this.generation = generation;
      } catch (error) {
        // The current index stays, and a later change tries again.
        this.compactionError = error;
      } finally {
        this.compacting = false;
      }
    })();
  }
}
