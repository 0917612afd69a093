/**
 * Values computed from the catalogue as it was at one search generation (see migration
 * 0003_scale). Every write to a searched table increases the generation in its transaction, so
 * a value labelled with the generation read before computing it is never served once a write
 * has committed. Values are kept as promises: concurrent identical searches share one query.
 */
export class GenerationCache {
  private generation = -1n;
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly maxEntries = 2000) {}

  /**
   * The value under `key` at `generation`, computed by `compute` when missing. `keep` decides,
   * once computed, from the value and the milliseconds it took, whether it is worth keeping.
   */
  async get<T>(
    generation: bigint,
    key: string,
    compute: () => Promise<T>,
    keep?: (value: T, ms: number) => boolean,
  ): Promise<T> {
    if (generation > this.generation) {
      this.generation = generation;
      this.entries.clear();
    } else if (generation < this.generation) {
      // A search that started before a write committed: its values are already outdated.
      return compute();
    }
    const cached = this.entries.get(key) as Promise<T> | undefined;
    if (cached) {
      // Least recently used goes first: touching an entry moves it to the end.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const started = performance.now();
    const pending = compute();
    this.entries.set(key, pending);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    pending.then(
      (value) => {
        if (keep && !keep(value, performance.now() - started) && this.entries.get(key) === pending) {
          this.entries.delete(key);
        }
      },
      () => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
      },
    );
    return pending;
  }
}

/** A map that keeps its `maxEntries` most recently used entries. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  /** The number of values kept. */
  get size(): number {
    return this.entries.size;
  }

  /** The value under `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Keeps a value, forgetting the least recently used one when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
  }
}
