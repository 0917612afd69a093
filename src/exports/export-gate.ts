import { AppError } from '../core/errors.js';

/**
 * How many exports run at once, per client and overall: an export of the whole catalogue
 * holds a database connection and builds a large file for as long as the reader downloads it
 * (five concurrent XLSX exports once took 72 s each and 480 MB more memory).
 */
export class ExportGate {
  private readonly running = new Map<string, number>();
  private total = 0;

  constructor(
    readonly perClient: number,
    readonly overall: number,
  ) {}

  /**
   * Lets an export of `client` start, or refuses it in French: 429 when this client has its
   * share running, 503 when the server has. Returns what ends it: call it once, when the
   * answer is sent or abandoned.
   */
  enter(client: string): () => void {
    const mine = this.running.get(client) ?? 0;
    if (mine >= this.perClient) {
      throw new AppError(
        'too_many_requests',
        `Vous avez déjà ${mine} exports en cours : attendez qu’ils soient téléchargés, puis recommencez.`,
      );
    }
    if (this.total >= this.overall) {
      throw new AppError('busy', 'Trop d’exports sont en cours sur le site : réessayez dans une minute.');
    }
    this.running.set(client, mine + 1);
    this.total++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.total--;
      const now = (this.running.get(client) ?? 1) - 1;
      if (now === 0) this.running.delete(client);
      else this.running.set(client, now);
    };
  }
}
