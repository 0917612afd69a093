/**
 * Interns strings found inside larger texts, by hash and by their characters in place: an
 * import looks up tens of millions of words and pieces, and making a string for each to look it
 * up in a `Map` cost more than the rest of the work. Ids count up from 0 in the order first met.
 */
export class StringTable {
  private slots = new Int32Array(1 << 16).fill(-1);
  private hashes = new Int32Array(1 << 15);
  /** The strings, by id. */
  readonly strings: string[] = [];

  /** How many strings there are. */
  get size(): number {
    return this.strings.length;
  }

  /** The id of `text` from `start` to `end`, whose `hashStep` hash is `hash`; added if new. */
  intern(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot];
      if (id < 0) return this.insert(slot, text.slice(start, end), hash);
      if (this.hashes[id] === hash && this.strings[id].length === length && text.startsWith(this.strings[id], start)) {
        return id;
      }
    }
  }

  /** Forgets every string. */
  clear(): void {
    this.slots = new Int32Array(1 << 16).fill(-1);
    this.strings.length = 0;
  }

  private insert(slot: number, text: string, hash: number): number {
    const id = this.strings.length;
    if (id === this.hashes.length) this.hashes = grown(this.hashes);
    this.strings.push(text);
    this.hashes[id] = hash;
    this.slots[slot] = id;
    // Kept at most half full, so that a look-up ends after a probe or two.
    if (2 * this.strings.length > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.strings.length; id++) {
      let slot = this.hashes[id] & mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
      this.slots[slot] = id;
    }
  }
}

/** The hash of a string so far, `hash`, and its next UTF-16 code unit. */
export function hashStep(hash: number, unit: number): number {
  return (Math.imul(hash, 31) + unit) | 0;
}

/** A copy of `array` twice as long, at least `length` long. */
export function grown(array: Int32Array<ArrayBuffer>, length = 0): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(Math.max(array.length * 2, length));
  larger.set(array);
  return larger;
}
