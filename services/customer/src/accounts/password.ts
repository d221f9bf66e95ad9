import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id`: the package's enum is a const enum, which isolated modules cannot import. */
const ARGON2ID = 2;

/**
 * Passwords are hashed with argon2id, memory-hard, at the library's defaults (19 MiB, 2 passes,
 * OWASP's minimum for argon2id). The encoded hash carries its parameters, so raising them later
 * still verifies the hashes made before.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** A hash of no one's password, verified when the email matches no account, so that it costs the same. */
let decoy: Promise<string> | undefined;

/** Whether `password` is the one `encoded` was made from; with no hash, false after the same work. */
export async function verifyPassword(encoded: string | null, password: string): Promise<boolean> {
  if (encoded === null) {
    decoy ??= hashPassword('no account has this password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(encoded, password).catch(() => false);
}
