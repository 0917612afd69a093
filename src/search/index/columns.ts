import { widened } from './bits.js';
import { type Roaring, toRoaring } from './roaring.js';

/**
 * A growable array of numbers in a typed array, grown by an eighth when full: an index list
 * grows for good, and doubling would leave half of a large list's memory unused.
 */
export class Column<T extends Uint32Array | Int32Array | Float64Array | Uint16Array | Uint8Array> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (size: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length + (this.data.length >>> 3)));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
}

// One maker per type, shared: a closure per column would cost 77 000 functions at 100 000 fiches.
/** Makes a Uint32Array of `size`, for columns. */
export const makeUint32 = (size: number) => new Uint32Array(size);
/** Makes a Uint8Array of `size`, for columns. */
export const makeUint8 = (size: number) => new Uint8Array(size);
const makeUint16 = (size: number) => new Uint16Array(size);
const makeFloat64 = (size: number) => new Float64Array(size);
const makeInt32 = (size: number) => new Int32Array(size);

/** A Uint32Array column with room for `n` values. */
export const uint32 = (n: number) => new Column(new Uint32Array(n), makeUint32);
/** A Float64Array column with room for `n` values. */
export const float64 = (n: number) => new Column(new Float64Array(n), makeFloat64);
/** An Int32Array column with room for `n` values. */
export const int32 = (n: number) => new Column(new Int32Array(n), makeInt32);
const uint16 = (n: number) => new Column(new Uint16Array(n), makeUint16);

/** The codes of one facet: each fiche's value ids, in one pool, and the dictionary of codes. */
export class FacetColumn {
  readonly ids = new Map<string, number>();
  readonly codes: string[] = [];
  /** Where each slot's values start in `pool`; they end where the next slot's start. */
  readonly starts = uint32(1024);
  readonly pool = uint16(1024);
  /** Each value's slots as a bitset, for counting broad matches (see facet-counts.ts). */
  readonly bits: Uint32Array[] = [];
  /** The words each bitset holds, doubled when a slot falls beyond. */
  private capacity = 32;
  /** Each value's bitset as a roaring bitmap, made at its first count, then kept up by `add`. */
  private readonly mirrors: Array<Roaring | undefined> = [];

  constructor() {
    this.starts.push(0);
  }

  /** Appends the next slot's codes. */
  add(codes: string[]): void {
    const slot = this.starts.length - 1;
    if (slot >>> 5 >= this.capacity) this.grow(slot);
    for (const code of codes) {
      let id = this.ids.get(code);
      if (id === undefined) {
        id = this.codes.length;
        this.ids.set(code, id);
        this.codes.push(code);
        this.bits.push(new Uint32Array(this.capacity));
      }
      this.pool.push(id);
      this.bits[id][slot >>> 5] |= 1 << (slot & 31);
      this.mirrors[id]?.add(slot);
    }
    this.starts.push(this.pool.length);
  }

  /** A value's slots as a roaring bitmap, dead ones included, for counting (facet-counts.ts). */
  roaringOf(id: number): Roaring {
    let mirror = this.mirrors[id];
    if (!mirror) {
      mirror = toRoaring(this.bits[id]);
      this.mirrors[id] = mirror;
    }
    return mirror;
  }

  /** The codes of a slot. */
  codesAt(slot: number): string[] {
    const codes: string[] = [];
    for (let i = this.starts.data[slot]; i < this.starts.data[slot + 1]; i++) codes.push(this.codes[this.pool.data[i]]);
    return codes;
  }

  /** The slots of each code among the first `slots` that `isAlive` accepts, sorted. */
  slotsByCode(slots: number, isAlive: (slot: number) => boolean): Map<string, Uint32Array> {
    const byValue = this.codes.map((): number[] => []);
    for (let slot = 0; slot < slots; slot++) {
      if (!isAlive(slot)) continue;
      for (let i = this.starts.data[slot]; i < this.starts.data[slot + 1]; i++) byValue[this.pool.data[i]].push(slot);
    }
    return new Map(this.codes.map((code, id) => [code, Uint32Array.from(byValue[id])]));
  }

  /** Bytes held by the typed arrays and the roaring bitmaps made so far. */
  get byteLength(): number {
    let bytes = this.starts.data.byteLength + this.pool.data.byteLength;
    for (const bits of this.bits) bytes += bits.byteLength;
    for (const mirror of this.mirrors) bytes += mirror?.getSerializationSizeInBytes('croaring') ?? 0;
    return bytes;
  }

  private grow(slot: number): void {
    while (slot >>> 5 >= this.capacity) this.capacity *= 2;
    for (let id = 0; id < this.bits.length; id++) this.bits[id] = widened(this.bits[id], this.capacity);
  }
}
