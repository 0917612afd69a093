import { AppError } from './errors.js';
import { quote } from './typography.js';

/** The address as stored: trimmed and lower-case; throws, about `field`, when it is not an e-mail address. */
export function normalizeEmail(raw: string, field = 'email'): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AppError('invalid_email', `${quote(raw.trim())} n’est pas une adresse e-mail valide.`, field);
  }
  return email;
}
