import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys `pnpm start` keeps beside its database, so that the tokens it printed keep working. */
interface LocalKeys {
  AUTH_SECRET: string;
  ASSERTION_SECRET: string;
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
    keys = { AUTH_SECRET: newSecret(), ASSERTION_SECRET: newSecret() };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  }
  env.AUTH_SECRET ||= keys.AUTH_SECRET;
  env.ASSERTION_SECRET ||= keys.ASSERTION_SECRET;
  return { created };
}
