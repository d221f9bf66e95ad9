/**
 * `pnpm db:generate [service...] [--name label]`: drizzle-kit generate for each service's schema
 * (`schema` in its drizzle.config.ts). The migrator keeps its bookkeeping table inside the service's own schema
 * and so creates that schema first; generated `CREATE SCHEMA` statements are made idempotent.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const nameIndex = args.indexOf('--name');
const name = nameIndex >= 0 ? args.splice(nameIndex, 2)[1] : undefined;
const services = args.length ? args : readdirSync(join(root, 'services'));

for (const service of services) {
  const dir = join(root, 'services', service);
  execFileSync(join(dir, 'node_modules/.bin/drizzle-kit'), ['generate', ...(name ? ['--name', name] : [])], {
    cwd: dir,
    stdio: 'inherit',
  });
  const migrations = join(dir, 'src/db/migrations');
  for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) {
    const path = join(migrations, file);
    const sql = readFileSync(path, 'utf8');
    const fixed = sql.replace(/CREATE SCHEMA "([^"]+)";/g, 'CREATE SCHEMA IF NOT EXISTS "$1";');
    if (fixed !== sql) writeFileSync(path, fixed);
  }
}
