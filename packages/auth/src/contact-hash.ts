import { createHmac } from 'node:crypto';
import { MissingKeysError } from './keys.ts';

const MIN_SECRET_LENGTH = 32;

/** What a contact hash is of: the kind is part of the message, so a phone never equals an email. */
type ContactKind = 'phone' | 'email';

/**
 * C14: the key of the keyed contact hashes (HMAC-SHA256) that let commerce-history refuse a
 * blacklisted contact's orders without holding the contact in clear: `CONTACT_HASH_SECRET`, the
 * same for the customer and commerce-history subgraphs. `pnpm start` makes one on its first run
 * (`.data/keys.json`), the tests one per run. Changing it orphans the hashes commerce-history
 * holds until the blacklist's events are replayed.
 */
export function contactHashKey(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.CONTACT_HASH_SECRET;
  if (!secret) throw new MissingKeysError(['CONTACT_HASH_SECRET is not set']);
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new MissingKeysError([`CONTACT_HASH_SECRET must be at least ${MIN_SECRET_LENGTH} characters`]);
  }
  if (secret === env.AUTH_SECRET || secret === env.ASSERTION_SECRET) {
    throw new MissingKeysError(['CONTACT_HASH_SECRET must differ from AUTH_SECRET and ASSERTION_SECRET']);
  }
  return secret;
}

/**
 * The keyed hash (hex) of a normalised contact: an E.164 phone, or an email trimmed and
 * lower-cased. Both sides must normalise alike; the callers do, this only hashes.
 */
export function contactHash(kind: ContactKind, normalised: string, env: NodeJS.ProcessEnv = process.env): string {
  return createHmac('sha256', contactHashKey(env)).update(`${kind}:${normalised}`).digest('hex');
}
