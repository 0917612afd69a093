/**
 * The lines of a dump's text, each made a string only when asked for. A 100 000-fiche dump has
 * 6.4 million lines: held as an array of strings for the whole import, they made every full
 * garbage collection of the import's process mark 6.4 million objects (0.2–0.5 s, every 2 s);
 * their starts in a typed array cost the collector nothing.
 */
export class Lines {
  /** The number of lines; a final line break does not open an empty last line. */
  readonly length: number;
  // Where each line starts in `text`, and one more entry: where the line after the last would.
  private readonly starts: Uint32Array;

  /** The lines of `text` from character `from` (past a byte-order mark, say). */
  constructor(
    private readonly text: string,
    from = 0,
  ) {
    let count = 1;
    for (let i = text.indexOf('\n', from); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    // As `split('\n')` then dropping a last empty line, unless it is the only one.
    const dropLast = count > 1 && text.endsWith('\n');
    this.length = dropLast ? count - 1 : count;
    this.starts = new Uint32Array(count + 1);
    this.starts[0] = from;
    let n = 1;
    for (let i = text.indexOf('\n', from); i >= 0; i = text.indexOf('\n', i + 1)) this.starts[n++] = i + 1;
    this.starts[n] = text.length + 1;
  }

  /** Line `j` (0-based) without its line break and a carriage return before it; undefined past the end. */
  at(j: number): string | undefined {
    if (j < 0 || j >= this.length) return undefined;
    return this.text.slice(this.starts[j], this.end(j));
  }

  /** Whether line `j` is exactly `line`, without making it a string. */
  is(j: number, line: string): boolean {
    if (j < 0 || j >= this.length) return false;
    const start = this.starts[j];
    return this.end(j) - start === line.length && this.text.startsWith(line, start);
  }

  /** Lines `from` to `to` (excluded). */
  slice(from: number, to: number): string[] {
    const lines: string[] = [];
    for (let j = Math.max(from, 0); j < Math.min(to, this.length); j++)
      lines.push(this.text.slice(this.starts[j], this.end(j)));
    return lines;
  }

  /** The 0-based line holding character `index` of the text. */
  lineOf(index: number): number {
    let lo = 0;
    let hi = this.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= index) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  private end(j: number): number {
    const end = this.starts[j + 1] - 1;
    return end > this.starts[j] && this.text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  }
}
