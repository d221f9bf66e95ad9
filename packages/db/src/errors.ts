/** The PostgreSQL error a statement failed with, looked up through drizzle's wrapping. */
export function pgError(error: unknown): { code?: string; constraint_name?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; constraint_name?: string; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate as never;
    current = candidate.cause;
  }
  return undefined;
}

/** Whether the statement broke a constraint of this SQLSTATE (and, when named, this constraint). */
function violates(code: string, error: unknown, constraint: string | undefined): boolean {
  const pg = pgError(error);
  return pg?.code === code && (!constraint || pg.constraint_name === constraint);
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return violates('23505', error, constraint);
}

export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return violates('23503', error, constraint);
}

export function isCheckViolation(error: unknown, constraint?: string): boolean {
  return violates('23514', error, constraint);
}
