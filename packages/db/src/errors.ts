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

/**
 * The driver's codes for a session that is gone or could not be had: the statement may succeed
 * on another connection once the server is back.
 */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Whether a statement failed because its connection was lost or none could be opened: a restart,
 * a failover, a terminated backend (SQLSTATE class 08, 57P01–57P05), a server whose connection
 * slots are all taken (53300, e.g. replicas whose pools add up past max_connections), not a fault
 * of the statement.
 */
export function isConnectionLoss(error: unknown): boolean {
  return someCode(error, (code) => CONNECTION_CODES.has(code) || /^(08...|57P0[1-5]|53300)$/.test(code));
}

/** Of those, the codes of an established session that ended (its backend terminated, its socket closed). */
const LOST_SESSION_CODES = new Set(['CONNECTION_CLOSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02']);

/**
 * Whether an established session was lost, rather than a new one refused: another pooled session
 * may still be alive, where a refused connect would be refused again.
 */
export function isLostSession(error: unknown): boolean {
  return someCode(error, (code) => LOST_SESSION_CODES.has(code));
}

/** The driver wraps errors (drizzle's query error, its own connection errors): look down the causes. */
function someCode(error: unknown, matches: (code: string) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && matches(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
