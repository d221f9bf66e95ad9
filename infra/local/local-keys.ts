import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys `pnpm start` keeps beside its database, so that the tokens it printed keep working. */
interface LocalKeys {
  AUTH_SECRET: string;
  ASSERTION_SECRET: string;
  /** C14's contact hashes; absent from keys.json files made before it, and then added. */
  CONTACT_HASH_SECRET?: string;
}

const newSecret = () => randomBytes(32).toString('base64url');

/**
 * Reads `<dataDir>/keys.json`, or makes random keys there on the first run (readable by this user
 * only), and puts them into `env` where the environment does not name its own. Nothing of this
 * lives in the repository: each checkout's local data has keys of its own.
 */
export function useLocalKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): { created: boolean } {
  const file = join(dataDir, 'keys.json');
  let keys: LocalKeys;
  let created = false;
  if (existsSync(file)) {
    keys = JSON.parse(readFileSync(file, 'utf8')) as LocalKeys;
  } else {
    keys = { AUTH_SECRET: newSecret(), ASSERTION_SECRET: newSecret(), CONTACT_HASH_SECRET: newSecret() };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  if (!keys.CONTACT_HASH_SECRET) {
    // A checkout from before the blacklist (C14): its key is made once and kept with the others,
    // since the hashes commerce-history holds are only as lasting as the key.
    keys = { ...keys, CONTACT_HASH_SECRET: newSecret() };
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  }
  env.AUTH_SECRET ||= keys.AUTH_SECRET;
  env.ASSERTION_SECRET ||= keys.ASSERTION_SECRET;
  env.CONTACT_HASH_SECRET ||= keys.CONTACT_HASH_SECRET;
  return { created };
}
