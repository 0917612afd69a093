import type { Random } from './random.js';

const END = '\u0000';

/**
 * French prose that reads like the fiches: a word chain learnt from real lines (two words of
 * context, sometimes one, so that sentences recombine), with place names sprinkled in to give
 * the long tail of rare words that a national catalogue has.
 */
export class ProseModel {
  private readonly pairs = new Map<string, string[]>();
  private readonly singles = new Map<string, string[]>();
  private readonly starts: Array<[string, string]> = [];

  constructor(
    lines: Iterable<string>,
    private readonly places: readonly string[],
  ) {
    for (const line of lines) {
      const words = line.split(/\s+/).filter(Boolean);
      if (words.length < 3) continue;
      this.starts.push([words[0], words[1]]);
      words.push(END);
      for (let i = 2; i < words.length; i++) {
        push(this.pairs, `${words[i - 2]} ${words[i - 1]}`, words[i]);
        push(this.singles, words[i - 1], words[i]);
      }
    }
  }

  /** One line of 4 to 70 words. */
  line(random: Random): string {
    const [first, second] = random.pick(this.starts);
    const out = [first, second];
    while (out.length < 70) {
      const a = out[out.length - 2];
      const b = out[out.length - 1];
      const options = random.chance(0.2) ? this.singles.get(b) : this.pairs.get(`${a} ${b}`);
      const next = options ? random.pick(options) : END;
      if (next === END) {
        if (out.length >= 4) break;
        out.push(random.pick(this.starts)[0]);
        continue;
      }
      out.push(next);
      if (random.chance(0.012)) out.push('à', random.pick(this.places));
    }
    return out.join(' ');
  }

  /** Lines until the text is about `length` characters long; never a line that `reject` refuses. */
  text(random: Random, length: number, reject: (line: string) => boolean): string {
    const lines: string[] = [];
    let size = 0;
    for (let misses = 0; size < length && misses < 8; ) {
      const line = this.line(random);
      // A line that would overshoot the length by much is tried again, a few times.
      if (reject(line) || (lines.length > 0 && size + line.length > length + 60)) {
        misses++;
        continue;
      }
      lines.push(line);
      size += line.length + 1;
    }
    return lines.join('\n');
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
