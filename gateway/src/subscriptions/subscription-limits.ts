import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';

export interface SubscriptionLimitOptions {
  /** Live subscriptions one socket may hold at once (default 20, `MAX_SUBSCRIPTIONS_PER_CONNECTION`). */
  maxPerConnection?: number;
  /**
   * Live subscriptions one principal (user, kind, store) may hold at once over all its sockets to
   * this gateway process (default 50, `MAX_SUBSCRIPTIONS_PER_PRINCIPAL`).
   */
  maxPerPrincipal?: number;
}

const DEFAULT_SUBSCRIPTION_LIMITS = { maxPerConnection: 20, maxPerPrincipal: 50 };

const ENV_NAMES = {
  maxPerConnection: 'MAX_SUBSCRIPTIONS_PER_CONNECTION',
  maxPerPrincipal: 'MAX_SUBSCRIPTIONS_PER_PRINCIPAL',
} as const;

/** Options win over the environment, which wins over the defaults; anything but a positive integer fails the start. */
export function subscriptionLimits(
  options: SubscriptionLimitOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Required<SubscriptionLimitOptions> {
  const limits = { ...DEFAULT_SUBSCRIPTION_LIMITS };
  for (const key of Object.keys(ENV_NAMES) as (keyof typeof ENV_NAMES)[]) {
    const envName = ENV_NAMES[key];
    const raw = options[key] ?? (env[envName]?.trim() ? Number(env[envName]) : undefined);
    if (raw === undefined) continue;
    if (!Number.isSafeInteger(raw) || raw < 1) {
      const source = options[key] !== undefined ? `The ${key} option` : envName;
      throw new Error(`${source} must be a positive integer, got ${JSON.stringify(options[key] ?? env[envName])}`);
    }
    limits[key] = raw;
  }
  return limits;
}

/**
 * Counts the live subscriptions of each socket and each principal. A subscription holds its slot
 * from an accepted subscribe until it completes or its socket closes; a refused one never has one.
 */
export class SubscriptionSlots {
  private readonly byConnection = new WeakMap<object, Map<string, string>>();
  private readonly byPrincipal = new Map<string, number>();

  constructor(private readonly limits: Required<SubscriptionLimitOptions>) {}

  /** Takes a slot for subscription `id` of `connection`, or returns the error naming the limit it would break. */
  take(connection: object, id: string, principal: string): GraphQLError | undefined {
    const held = this.byConnection.get(connection) ?? new Map<string, string>();
    if (held.size >= this.limits.maxPerConnection) {
      return tooMany(
        'MAX_SUBSCRIPTIONS_PER_CONNECTION',
        this.limits.maxPerConnection,
        held.size + 1,
        'on this connection',
      );
    }
    const ofPrincipal = this.byPrincipal.get(principal) ?? 0;
    if (ofPrincipal >= this.limits.maxPerPrincipal) {
      return tooMany(
        'MAX_SUBSCRIPTIONS_PER_PRINCIPAL',
        this.limits.maxPerPrincipal,
        ofPrincipal + 1,
        'for this user on this gateway',
      );
    }
    held.set(id, principal);
    this.byConnection.set(connection, held);
    this.byPrincipal.set(principal, ofPrincipal + 1);
    return undefined;
  }

  /** Gives back the slot of `id`, or of every subscription of the connection; a second release does nothing. */
  release(connection: object, id?: string): void {
    const held = this.byConnection.get(connection);
    if (!held) return;
    for (const key of id === undefined ? [...held.keys()] : [id]) {
      const principal = held.get(key);
      if (principal === undefined) continue;
      held.delete(key);
      const left = (this.byPrincipal.get(principal) ?? 1) - 1;
      if (left > 0) this.byPrincipal.set(principal, left);
      else this.byPrincipal.delete(principal);
    }
  }
}

function tooMany(reason: string, limit: number, actual: number, where: string): GraphQLError {
  return new GraphQLError(`Too many subscriptions ${where}: at most ${limit}`, {
    extensions: { code: ApolloServerErrorCode.BAD_REQUEST, reason, limit, actual },
  });
}
