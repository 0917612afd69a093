import path from 'node:path';
import dotenv from 'dotenv';
import { AppError } from './core/errors.js';
import { quote } from './core/typography.js';

/** The application's settings, read once from the environment at start. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Folder for everything the app writes: the embedded database, later attachments. */
  readonly dataDir: string;
  /** When set, PostgreSQL is used instead of the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Dump file imported on first start when the database holds no fiche yet. */
  readonly seedFile: string | undefined;
  /** The address users reach the site at, for the links sent by e-mail; no trailing slash. */
  readonly publicUrl: string;
  /** SMTP server as a URL (smtp://user:pass@host:587); without it, e-mail goes to `$DATA_DIR/outbox/`. */
  readonly smtpUrl: string | undefined;
  /** The sender of the e-mails. */
  readonly mailFrom: string;
  /** Behind a reverse proxy: trust its X-Forwarded-* headers (client address, HTTPS). */
  readonly trustProxy: boolean;
  /** Who runs the site, as its legal pages and footer state it. */
  readonly site: SiteSettings;
  /** When fiches are checked (src/freshness): months to a reminder, then to « À vérifier ». */
  readonly reminders: ReminderSettings;
  /** The bearer token `/metrics` asks for; unset, `/metrics` does not exist. */
  readonly metricsToken: string | undefined;
  /** PostgreSQL stops a statement of the web process running longer than this; 0 never. */
  readonly statementTimeoutMs: number;
  /** Past this event-loop delay the web process answers 503 rather than queue more work. */
  readonly maxEventLoopDelayMs: number;
  /** Searches and exports one client may ask a minute, per process; 0 for no limit. */
  readonly rateLimits: { readonly search: number; readonly export: number };
}

/** The delays of the reminders job, in months. */
export interface ReminderSettings {
  /** After the last edit or confirmation, before the editors are asked. */
  readonly afterMonths: number;
  /** After an unanswered reminder, before the fiche is flagged « À vérifier ». */
  readonly staleAfterMonths: number;
}

/** The levels of the RGAA's conformity statement. */
export const ACCESSIBILITY_LEVELS = ['non conforme', 'partiellement conforme', 'totalement conforme'] as const;

/** What the public-service pages say of who runs the site; their texts are in `$DATA_DIR/pages/`. */
export interface SiteSettings {
  /** The site's publisher (« éditeur »), named in the legal notice and the accessibility statement. */
  readonly publisher: string;
  /** Where readers write to: the legal pages' contact. */
  readonly contactEmail: string;
  /** The host of the servers, as the legal notice must state it. */
  readonly hosting: string;
  /** The licence of the open data, stated on the site, in the exports and in the OpenAPI file. */
  readonly licence: { readonly name: string; readonly url: string };
  /** The accessibility statement's conformity level, shown in every page's footer. */
  readonly accessibility: (typeof ACCESSIBILITY_LEVELS)[number];
}

/** A setting that cannot be used as given; the message is meant for the person starting the app. */
function configRefused(message: string): AppError {
  return new AppError('invalid_config', message);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEFAULT_SEED = path.resolve(import.meta.dirname, '..', 'seed', 'fiches-carsat.txt');

/**
 * Adds the variables of a `.env` file in the current folder (or of ESSAIM_ENV_FILE; empty for
 * none) to the environment; a variable already set keeps its value.
 */
function loadDotEnv(): void {
  const file = process.env.ESSAIM_ENV_FILE ?? '.env';
  if (file !== '') dotenv.config({ path: file, quiet: true });
}

/**
 * Reads and validates the settings, from `env` or else the process's environment and `.env`;
 * throws an AppError naming the faulty variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env) loadDotEnv();
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw configRefused(`PORT doit être un numéro de port entre 0 et 65535 (reçu ${quote(String(env.PORT))}).`);
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw configRefused(
      `LOG_LEVEL doit valoir l’un de : ${LOG_LEVELS.join(', ')} (reçu ${quote(String(env.LOG_LEVEL))}).`,
    );
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw configRefused('DATABASE_URL doit commencer par postgres:// ou postgresql://.');
  }
  const seedFile = env.SEED_FILE === undefined ? DEFAULT_SEED : env.SEED_FILE.trim() || undefined;
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(
    /\/+$/,
    '',
  );
  if (!/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw configRefused(`PUBLIC_URL doit être une adresse http:// ou https:// (reçu ${quote(publicUrl)}).`);
  }
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw configRefused('SMTP_URL doit commencer par smtp:// ou smtps://.');
  }
  const mailFrom = env.MAIL_FROM?.trim() || 'Essaim <ne-pas-repondre@essaim.invalid>';
  const trustProxy = (env.TRUST_PROXY ?? '').trim().toLowerCase();
  if (!['', 'true', 'false', '1', '0'].includes(trustProxy)) {
    throw configRefused(`TRUST_PROXY doit valoir true ou false (reçu ${quote(String(env.TRUST_PROXY))}).`);
  }
  return Object.freeze({
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
    databaseUrl,
    logLevel,
    seedFile,
    publicUrl,
    smtpUrl,
    mailFrom,
    trustProxy: trustProxy === 'true' || trustProxy === '1',
    site: siteSettings(env, mailFrom),
    metricsToken: metricsToken(env),
    statementTimeoutMs: wholeNumber(env, 'STATEMENT_TIMEOUT_MS', 15_000, MILLISECONDS),
    maxEventLoopDelayMs: wholeNumber(env, 'MAX_EVENT_LOOP_DELAY_MS', 1_000, MILLISECONDS),
    rateLimits: Object.freeze({
      search: wholeNumber(env, 'SEARCHES_PER_MINUTE', 300, PER_MINUTE),
      export: wholeNumber(env, 'EXPORTS_PER_MINUTE', 30, PER_MINUTE),
    }),
    reminders: Object.freeze({
      afterMonths: wholeNumber(env, 'REMINDER_AFTER_MONTHS', 12, MONTHS),
      staleAfterMonths: wholeNumber(env, 'REMINDER_STALE_AFTER_MONTHS', 6, MONTHS),
    }),
  });
}

function metricsToken(env: NodeJS.ProcessEnv): string | undefined {
  const token = env.METRICS_TOKEN?.trim() || undefined;
  if (token !== undefined && !/^[\x21-\x7e]{24,200}$/.test(token)) {
    throw configRefused('METRICS_TOKEN doit compter au moins 24 caractères imprimables, sans espace.');
  }
  return token;
}

/** A whole number of `unit` between `min` and `max`, or `fallback` when the variable is unset. */
function wholeNumber(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { min: number; max: number; unit: string },
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw configRefused(
      `${name} doit être un nombre de ${range.unit} entre ${range.min} et ${range.max} (reçu ${quote(raw)}).`,
    );
  }
  return value;
}

const PER_MINUTE = { min: 0, max: 100_000, unit: 'requêtes par minute' };
const MILLISECONDS = { min: 0, max: 600_000, unit: 'millisecondes' };
const MONTHS = { min: 1, max: 120, unit: 'mois' };

/** The public-service pages' settings, each with a default that holds until the operator sets it. */
function siteSettings(env: NodeJS.ProcessEnv, mailFrom: string): SiteSettings {
  // By default, contact@ the sender's domain: the sender itself is often a no-reply address.
  const senderDomain = /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'essaim.invalid';
  const contactEmail = env.SITE_CONTACT_EMAIL?.trim() || `contact@${senderDomain}`;
  if (!/^[^@\s<>]+@[^@\s<>]+$/.test(contactEmail)) {
    throw configRefused(`SITE_CONTACT_EMAIL doit être une adresse électronique (reçu ${quote(contactEmail)}).`);
  }
  const licenceUrl = env.DATA_LICENCE_URL?.trim() || 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';
  if (!/^https?:\/\/[^/]+/.test(licenceUrl)) {
    throw configRefused(`DATA_LICENCE_URL doit être une adresse http:// ou https:// (reçu ${quote(licenceUrl)}).`);
  }
  const accessibility = (env.ACCESSIBILITY_STATUS?.trim() || 'partiellement conforme') as SiteSettings['accessibility'];
  if (!ACCESSIBILITY_LEVELS.includes(accessibility)) {
    throw configRefused(
      `ACCESSIBILITY_STATUS doit valoir l’un de : ${ACCESSIBILITY_LEVELS.join(', ')} (reçu ${quote(accessibility)}).`,
    );
  }
  const publisher = env.SITE_PUBLISHER?.trim() || 'Essaim';
  return Object.freeze({
    publisher,
    contactEmail,
    hosting: env.SITE_HOSTING?.trim() || `Le site est hébergé par ${publisher} sur ses propres serveurs.`,
    licence: Object.freeze({ name: env.DATA_LICENCE_NAME?.trim() || 'Licence Ouverte 2.0 (Etalab)', url: licenceUrl }),
    accessibility,
  });
}
