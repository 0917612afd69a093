import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

/** A plain-text e-mail, in French. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Where an answer goes, when not to the sender: the writer of a relayed message. */
  replyTo?: string;
  /** Extra headers, such as List-Unsubscribe for alerts. */
  headers?: Record<string, string>;
}

/** Sends e-mail; where it goes depends on the configuration. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** The folder where messages are written when no SMTP server is configured. */
export function outboxDir(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'outbox');
}

/**
 * The mailer of this configuration: SMTP through nodemailer when `SMTP_URL` is set; otherwise
 * each message is written as an .eml file in `$DATA_DIR/outbox/` and logged, so that a local
 * install works without a mail server.
 */
export function createMailer(
  config: Pick<Config, 'dataDir' | 'smtpUrl' | 'mailFrom'>,
  log: { info(object: object, message: string): void },
): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from: config.mailFrom, ...message });
        log.info({ to: message.to, subject: message.subject }, 'e-mail sent');
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = outboxDir(config);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.mailFrom, ...message });
      await mkdir(dir, { recursive: true });
      // The date first, so that a listing shows the messages in the order they were sent.
      const file = path.join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`,
      );
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      log.info({ to: message.to, subject: message.subject, file }, 'e-mail written to the outbox');
    },
  };
}
