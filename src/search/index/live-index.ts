import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { BulkBuilder } from './bulk-build.js';
import { readAllIndexRows, readIndexChanges } from './index.repository.js';
import type { SearchIndex } from './search-index.js';
import { walkSynonymPhrases } from './synonym-phrases.js';

// Past this many changed fiches, a catch-up reads everything again instead.
const CATCH_UP_LIMIT = 20_000;
// Rows read at a time by a build. 5 000 (16 MB of tsvector text) left the process 25-30 MB
// larger on PostgreSQL, and PGlite's worker about 200 MB larger, for the same index.
const BUILD_BATCH = 1_000;
const BUILD_SLICE = 250;

// The change log keeps about this many slots (a few hundred kilobytes), whatever the rate of writes.
const CHANGE_LOG_SLOTS = 50_000;

interface ChangeLogEntry {
  generation: bigint;
  retired: number[];
  filled: number[];
}

/** The slots these fiches hold in the index; those it lacks are left out. */
function slotsOf(index: SearchIndex, actionIds: number[]): number[] {
  return actionIds.flatMap((id) => {
    const slot = index.versionOf(id);
    return slot === undefined ? [] : [slot];
  });
}

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
  /** The slots each catch-up retired and filled since the index was built, oldest first. */
  private readonly changeLog: ChangeLogEntry[] = [];
  private loggedSlots = 0;
  /** Changes after this generation are all in the log. */
  private loggedFrom = -1n;
  /** The last full build, for the logs and the benchmarks. */
  lastBuild: BuildReport | undefined;
  /** Why the last compaction failed, if it did. */
  compactionError: unknown;
  /** How many catch-ups asked the database: on PGlite, none without a write since the last. */
  reads = 0;
  /** The database's count of local writes when the last catch-up read it (see `localWrites`). */
  private writesSeen: number | undefined;

  /**
   * `localWrites` counts the statements that may have written, when this process is the
   * database's only writer (PGlite): a catch-up with nothing written since the last one then
   * skips its statement, which on PGlite waits its turn behind every other.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly localWrites?: () => number,
  ) {}

  /** Whether the index was built, and the generation it has read: for readiness and metrics. */
  get state(): { built: boolean; generation: bigint } {
    return { built: this.index !== undefined, generation: this.generation };
  }

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

  /** The generation of the reference data at the last catch-up; undefined before the first. */
  lastReference(): bigint | undefined {
    return this.reference < 0n ? undefined : this.reference;
  }

  /** Builds the index now (at start-up) rather than at the first search. */
  async warm(): Promise<BuildReport> {
    await this.fresh();
    return this.lastBuild as BuildReport;
  }

  private async catchUp(): Promise<void> {
    if (!this.index) await this.rebuild();
    // Read before the statement: a write that ends after this is counted after it.
    const writes = this.localWrites?.();
    if (writes !== undefined && writes === this.writesSeen) return;
    const index = this.index as SearchIndex;
    this.reads++;
    const changes = await readIndexChanges(this.db, this.generation, CATCH_UP_LIMIT);
    this.reference = changes.reference;
    this.writesSeen = writes;
    if (changes.reset || changes.tooMany) {
      await this.rebuild();
      return;
    }
    // Removed first, then added again, synchronously: a search sees a change whole or not at all.
    const retired = slotsOf(index, changes.changedIds);
    index.remove(changes.changedIds);
    index.upsert(changes.rows);
    const filled = slotsOf(
      index,
      changes.rows.map((row) => row.actionId),
    );
    if (changes.generation > this.generation) this.logChange(changes.generation, retired, filled);
    this.generation = changes.generation;
    // Every change leaves a dead slot: past as many dead as live ones, build a compact copy.
    if (index.slots > 2 * index.size + 1000 && !this.compacting) this.compactLater();
  }

  /**
   * The slots that changes after `generation` retired and filled in `index`, or undefined when
   * the log does not reach back that far or the index was built again since: a kept result
   * from that generation is still true if none of them was or is among its matches.
   */
  changesSince(index: SearchIndex, generation: bigint): { retired: number[]; filled: number[] } | undefined {
    if (index !== this.index || generation < this.loggedFrom) return undefined;
    const retired: number[] = [];
    const filled: number[] = [];
    for (const change of this.changeLog) {
      if (change.generation <= generation) continue;
      retired.push(...change.retired);
      filled.push(...change.filled);
    }
    return { retired, filled };
  }

  private logChange(generation: bigint, retired: number[], filled: number[]): void {
    this.changeLog.push({ generation, retired, filled });
    this.loggedSlots += retired.length + filled.length;
    while (this.changeLog.length > 1 && this.loggedSlots > CHANGE_LOG_SLOTS) {
      const dropped = this.changeLog.shift() as ChangeLogEntry;
      this.loggedSlots -= dropped.retired.length + dropped.filled.length;
      this.loggedFrom = dropped.generation;
    }
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
    await walkSynonymPhrases(this.db, index);
    this.lastBuild = { fiches: index.size, ms: performance.now() - started };
    return { index, generation };
  }

  private async rebuild(): Promise<void> {
    const { index, generation } = await this.build();
    this.adopt(index, generation);
  }

  /** Takes a newly built index: the change log starts from its generation. */
  private adopt(index: SearchIndex, generation: bigint): void {
    this.index = index;
    this.generation = generation;
    // Built from a snapshot that may be older than the last catch-up: the next one reads.
    this.writesSeen = undefined;
    this.changeLog.length = 0;
    this.loggedSlots = 0;
    this.loggedFrom = generation;
  }

  /** Builds a compact copy while searches go on with the current index, then swaps them. */
  private compactLater(): void {
    this.compacting = true;
    void (async () => {
      try {
        const { index, generation } = await this.build();
        // Swapped between two catch-ups; the next search brings it to the current generation.
        while (this.running) await this.running.catch(() => undefined);
        this.adopt(index, generation);
      } catch (error) {
        // The current index stays, and a later change tries again.
        this.compactionError = error;
      } finally {
        this.compacting = false;
      }
    })();
  }
}
