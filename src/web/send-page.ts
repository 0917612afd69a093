import type { FastifyReply } from 'fastify';

/** Sends an HTML page with its status. */
export function sendPage(reply: FastifyReply, status: number, page: JSX.Element) {
  return reply.status(status).type('text/html; charset=utf-8').send(page);
}
