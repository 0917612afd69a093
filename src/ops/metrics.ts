import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import { readGenerations } from '../search/index/index.repository.js';
import { liveIndexOf } from '../search/index/index.service.js';

// The routes whose duration is the search's latency as a reader meets it.
const SEARCH_ROUTES = new Set(['/actions', '/api/v1/actions', '/']);
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The figures an operator's Prometheus scrapes from one process. */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'essaim_http_requests_total',
    help: 'Requêtes HTTP traitées, par méthode, route et statut.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly durations = new Histogram({
    name: 'essaim_http_request_duration_seconds',
    help: 'Durée des requêtes HTTP, par méthode et route.',
    labelNames: ['method', 'route'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly searches = new Histogram({
    name: 'essaim_search_duration_seconds',
    help: 'Durée des recherches (pages de résultats et API), de la requête à la réponse.',
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly mails = new Counter({
    name: 'essaim_emails_total',
    help: 'E-mails envoyés par ce processus, par issue (sent, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(db: Kysely<Database>, pool?: () => { total: number; idle: number; waiting: number }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'essaim_' });
    new Gauge({
      name: 'essaim_search_index_lag',
      help: 'Générations de la base que l’index de recherche de ce processus n’a pas encore lues (-1 : pas encore construit).',
      registers: [this.registry],
      async collect() {
        const state = liveIndexOf(db).state;
        if (!state.built) return this.set(-1);
        const { generation } = await readGenerations(db);
        this.set(Number(generation - state.generation));
      },
    });
    if (pool) {
      new Gauge({
        name: 'essaim_db_pool_connections',
        help: 'Connexions du pool PostgreSQL, par état (total, idle, waiting).',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          const stats = pool();
          for (const state of ['total', 'idle', 'waiting'] as const) this.set({ state }, stats[state]);
        },
      });
    }
  }

  /** Records an answered request; `route` is the route's pattern, never the address with its ids. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.durations.observe({ method, route }, seconds);
    if (method === 'GET' && SEARCH_ROUTES.has(route)) this.searches.observe(seconds);
  }

  /** The mailer, counting what it sends and what fails. */
  countMails(mailer: Mailer): Mailer {
    return {
      send: async (message) => {
        try {
          await mailer.send(message);
          this.mails.inc({ outcome: 'sent' });
        } catch (error) {
          this.mails.inc({ outcome: 'failed' });
          throw error;
        }
      },
    };
  }
}

/** Whether an Authorization header carries the metrics token, compared in constant time. */
export function hasMetricsToken(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
