import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the SMTP server received it. */
export interface Received {
  to: string;
  subject: string;
  text: string;
  unsubscribe: string | undefined;
  replyTo: string | undefined;
}

/** A running test SMTP server. */
export interface TestSmtp {
  port: number;
  inbox: Received[];
  /** Until `release()`, messages are held before the server accepts them (a slow mail server). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export async function startSmtp(): Promise<TestSmtp> {
  const inbox: Received[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => {};
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          await gate;
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          inbox.push({
            to: to?.value[0]?.address ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            replyTo: mail.replyTo?.value[0]?.address,
            unsubscribe: /<([^>]+)>/.exec(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '')?.[1],
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    inbox,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
