import { isIP } from 'node:net';
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
  /**
   * Which X-Forwarded-* headers to believe (client address, HTTPS), in Fastify's `trustProxy`
   * forms: false, true (every hop), a hop count, or the proxies' addresses and CIDR ranges.
   */
  readonly trustProxy: TrustProxy;
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
  /** The S3-compatible bucket, when S3_BUCKET is set; files go there once migrated (src/attachments). */
  readonly s3: S3Settings | undefined;
  /** ProConnect's OpenID Connect issuer and this site's client, when PROCONNECT_ISSUER is set. */
  readonly proconnect: ProConnectSettings | undefined;
}

/** The OpenID Connect provider agents sign in with, and the client registered with it. */
export interface ProConnectSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An S3-compatible bucket and how downloads reach it. */
export interface S3Settings {
  /** The service's address (Scaleway, OVHcloud, Outscale, MinIO…); unset, AWS's own. */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly bucket: string;
  /** Unset, the SDK's usual chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile…). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** Addresses as endpoint/bucket/key, which every S3-compatible service understands. */
  readonly forcePathStyle: boolean;
  /** `stream`: the app relays the bytes; `redirect`: the reader is sent to a presigned URL. */
  readonly downloads: 'stream' | 'redirect';
  /** How long a presigned download URL works, in seconds. */
  readonly urlTtlSeconds: number;
}

/** Fastify's `trustProxy` forms that the TRUST_PROXY setting can take. */
export type TrustProxy = boolean | number | readonly string[];

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
    trustProxy: trustProxySetting(env.TRUST_PROXY),
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
    s3: s3Settings(env),
    proconnect: proConnectSettings(env),
  });
}

function proConnectSettings(env: NodeJS.ProcessEnv): ProConnectSettings | undefined {
  const issuer = env.PROCONNECT_ISSUER?.trim();
  if (!issuer) return undefined;
  // Plain HTTP only for a provider on this machine (tests, local development).
  if (!/^https:\/\/[^/]+/.test(issuer) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(issuer)) {
    throw configRefused(`PROCONNECT_ISSUER doit être une adresse https:// (reçu ${quote(issuer)}).`);
  }
  const clientId = env.PROCONNECT_CLIENT_ID?.trim();
  const clientSecret = env.PROCONNECT_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw configRefused('PROCONNECT_ISSUER demande PROCONNECT_CLIENT_ID et PROCONNECT_CLIENT_SECRET.');
  }
  return Object.freeze({ issuer, clientId, clientSecret });
}

function s3Settings(env: NodeJS.ProcessEnv): S3Settings | undefined {
  const bucket = env.S3_BUCKET?.trim();
  if (!bucket) return undefined;
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw configRefused(`S3_ENDPOINT doit être une adresse http:// ou https:// (reçu ${quote(endpoint)}).`);
  }
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw configRefused('S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY vont ensemble : donnez les deux, ou aucun.');
  }
  const downloads = env.S3_DOWNLOADS?.trim() || 'stream';
  if (downloads !== 'stream' && downloads !== 'redirect') {
    throw configRefused(`S3_DOWNLOADS doit valoir stream ou redirect (reçu ${quote(downloads)}).`);
  }
  const pathStyle = env.S3_FORCE_PATH_STYLE?.trim().toLowerCase() || 'true';
  if (pathStyle !== 'true' && pathStyle !== 'false') {
    throw configRefused(`S3_FORCE_PATH_STYLE doit valoir true ou false (reçu ${quote(pathStyle)}).`);
  }
  return Object.freeze({
    endpoint,
    region: env.S3_REGION?.trim() || 'us-east-1',
    bucket,
    credentials: accessKeyId && secretAccessKey ? Object.freeze({ accessKeyId, secretAccessKey }) : undefined,
    forcePathStyle: pathStyle === 'true',
    downloads,
    urlTtlSeconds: wholeNumber(env, 'S3_URL_TTL_SECONDS', 300, { min: 10, max: 86_400, unit: 'secondes' }),
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

// proxy-addr's names for the private ranges, accepted beside addresses and CIDR ranges.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: `true` believes every X-Forwarded-For hop (only safe when no client can reach the
 * app but through the proxy), a whole number N the N proxies nearest the app, and a list of
 * addresses or CIDR ranges only the proxies listed; anything else is refused rather than guessed.
 */
function trustProxySetting(raw: string | undefined): TrustProxy {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const valid = (entry: string) => {
    if (PROXY_RANGE_NAMES.has(entry)) return true;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) return false;
    if (prefix === undefined) return true;
    return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  };
  const wrong = entries.find((entry) => !valid(entry));
  if (wrong !== undefined) {
    throw configRefused(
      `TRUST_PROXY doit valoir true, false, un nombre de proxys (1 à 10) ou une liste d’adresses et de plages CIDR séparées par des virgules (${quote(wrong)} n’en est pas une).`,
    );
  }
  return Object.freeze(entries);
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
