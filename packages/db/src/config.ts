/**
 * Each service reads its own connection string so that it can be moved to its own server:
 * `CUSTOMER_DATABASE_URL`, `COMMERCE_HISTORY_DATABASE_URL`, ... fall back to `DATABASE_URL`.
 */
export function databaseUrlFor(service: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const specific = `${service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
  return env[specific] || env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
