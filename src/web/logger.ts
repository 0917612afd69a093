import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import { logRequest } from './hardening.js';

/**
 * The process's logger: JSON lines for a log collector, readable lines on a terminal (pino-pretty,
 * in this thread so that nothing is lost at exit). Requests are logged without link tokens.
 */
export function createLogger(options: {
  level: string;
  stream?: DestinationStream;
  pretty?: boolean;
}): FastifyBaseLogger {
  const destination =
    options.stream ??
    (options.pretty
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true })
      : undefined);
  const settings = {
    level: options.level,
    serializers: { req: logRequest, res: pino.stdSerializers.res, err: pino.stdSerializers.err },
  };
  return (destination ? pino(settings, destination) : pino(settings)) as FastifyBaseLogger;
}
