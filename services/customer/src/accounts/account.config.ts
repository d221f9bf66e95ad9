/**
 * How sign-in and password resets behave, from the environment, read on each use:
 * - `SIGN_IN_MAX_FAILURES` (5): failed sign-ins for one account within the window before it is refused;
 * - `SIGN_IN_MAX_FAILURES_PER_IP` (20): the same from one client address, over every account it tries;
 * - `SIGN_IN_MAX_EMAILS` (5): reset links and sign-in codes each that storefront requests may have
 *   sent one customer within the window; past it a request is answered alike and sends nothing;
 * - `SIGN_IN_FAILURE_WINDOW_MINUTES` (15): how far back failures and those requests count;
 * - `SIGN_IN_TOKEN_LIFETIME` (12h): what a customer token from sign-in or registration lives;
 * - `PASSWORD_RESET_LIFETIME_MINUTES` (60): how long a reset token works;
 * - `SIGN_IN_CODE_LIFETIME_MINUTES` (10): how long an emailed sign-in code works.
 */
export interface AccountSettings {
  maxFailures: number;
  maxFailuresPerIp: number;
  maxEmails: number;
  windowSeconds: number;
  tokenLifetime: string;
  resetLifetimeSeconds: number;
  codeLifetimeSeconds: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number above 0, got "${raw}"`);
  return value;
}

export function accountSettings(env: NodeJS.ProcessEnv = process.env): AccountSettings {
  return {
    maxFailures: positive(env, 'SIGN_IN_MAX_FAILURES', 5),
    maxFailuresPerIp: positive(env, 'SIGN_IN_MAX_FAILURES_PER_IP', 20),
    maxEmails: positive(env, 'SIGN_IN_MAX_EMAILS', 5),
    windowSeconds: positive(env, 'SIGN_IN_FAILURE_WINDOW_MINUTES', 15) * 60,
    tokenLifetime: env.SIGN_IN_TOKEN_LIFETIME?.trim() || '12h',
    resetLifetimeSeconds: positive(env, 'PASSWORD_RESET_LIFETIME_MINUTES', 60) * 60,
    codeLifetimeSeconds: positive(env, 'SIGN_IN_CODE_LIFETIME_MINUTES', 10) * 60,
  };
}
