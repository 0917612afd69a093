import { createHmac, timingSafeEqual } from 'node:crypto';

const signature = (secret: Buffer, purpose: string, id: number) =>
  createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');

/** A link's token for the record `id`: the id and its HMAC for `purpose`, so that nothing is stored. */
export function signedToken(secret: Buffer, purpose: string, id: number): string {
  return `${id}.${signature(secret, purpose, id)}`;
}

/** The id a token names, when it was signed with `secret` for `purpose`; compared in constant time. */
export function idOfSignedToken(secret: Buffer, purpose: string, token: string): number | undefined {
  const match = /^(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return undefined;
  const id = Number(match[1]);
  const expected = Buffer.from(signature(secret, purpose, id));
  return timingSafeEqual(expected, Buffer.from(match[2])) ? id : undefined;
}
