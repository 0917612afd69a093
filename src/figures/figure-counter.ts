import { isbot } from 'isbot';
import type { Db } from '../db/database.js';
import { addFigures, type FigureIncrement, type FigureKind } from './figures.repository.js';
import { parisMonth } from './months.js';

/** Whether a request is a person reading rather than a crawler, a link preview or a prefetch. */
export function isReader(headers: Record<string, string | string[] | undefined>): boolean {
  const agent = headers['user-agent'];
  if (typeof agent !== 'string' || agent.trim() === '') return false;
  const purpose = headers['sec-purpose'] ?? headers.purpose;
  if (typeof purpose === 'string' && purpose.includes('prefetch')) return false;
  return !isbot(agent);
}

/**
 * Counts page views and downloads in memory and adds them to the database every few seconds,
 * so that a page view costs no write of its own (ADR 0020). Each process keeps its own counts;
 * the additions commute. What a crash loses is at most one interval's counts.
 */
export class FigureCounter {
  private pending = new Map<string, FigureIncrement>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Counts one event on a fiche, now. */
  count(actionId: number, kind: FigureKind): void {
    this.add({ actionId, month: parisMonth(new Date()), kind, count: 1 });
  }

  /** Adds every pending count to the database; resolves when they are stored. */
  flush(): Promise<void> {
    // One flush at a time, in order: a second one waits for the first, then takes what came since.
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.values()];
      this.pending = new Map();
      try {
        await addFigures(this.db, batch);
      } catch (error) {
        // Kept for the next flush: a database that is away for a moment loses no count.
        for (const i of batch) this.add(i);
        this.onError(error);
      }
    });
    return this.flushing;
  }

  private add(increment: FigureIncrement): void {
    const key = `${increment.actionId}:${increment.month}:${increment.kind}`;
    const found = this.pending.get(key);
    if (found) found.count += increment.count;
    else this.pending.set(key, { ...increment });
  }

  /** Flushes every `intervalMs` until `stop()`. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and stores what is pending: call it before the database closes. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
