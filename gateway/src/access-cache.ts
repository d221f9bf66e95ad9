import postgres from 'postgres';
import { ChangeFeed } from './subscriptions/change-feed.ts';

/**
 * The customer subgraph's channel (services/customer/src/access/access-changed.notify.ts), notified
 * with `{"storeId":…,"userId":…}` (no `userId`: every member of the store) in the transaction of
 * every write of staff members, staff roles and access grants.
 */
const ACCESS_CHANNEL = 'access_changed';

/**
 * The mutations after which this gateway drops every assertion it keeps before it answers, so
 * that the caller's next request, and anyone's, is decided afresh. The notification does the same
 * on every gateway, but only once it arrives. `grantAccess` and `revokeAccess` name stores other
 * than the request's, hence everything rather than one store.
 */
export const ACCESS_MUTATIONS: ReadonlySet<string> = new Set([
  'setStaffMember',
  'removeStaffMember',
  'updateStaffRole',
  'deleteStaffRole',
  'grantAccess',
  'revokeAccess',
]);

export interface AccessCacheOptions {
  /** Where the customer subgraph notifies `access_changed`; without one nothing is kept. */
  databaseUrl?: string;
  /** Most assertions kept at once (least recently used go first); default 10,000. */
  maxEntries?: number;
  /**
   * An assertion is handed out until this many seconds before its own expiry (default 30): the
   * operation that gets it may still be sending it to subgraphs a subgraph deadline later, on
   * clocks a little apart.
   */
  marginSeconds?: number;
}

interface Entry {
  assertion: string;
  storeId: string;
  userId: string;
  /** Epoch milliseconds after which the entry is not handed out. */
  usableUntil: number;
}

/** The `exp` of a JWT in epoch milliseconds, or undefined when it cannot be read. */
function expiresAt(jwt: string): number | undefined {
  try {
    const { exp } = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The staff access assertions of this gateway process, so that a staff member's operations do not
 * each cost a `GET /access` on the customer subgraph.
 *
 * An entry is one token's access in one store (keyed by the token itself, held in this process
 * only): the assertion is bound to the token's user, and the token decides whether they are
 * platform staff. It is kept no longer than its own expiry minus a
 * margin, and dropped when the customer subgraph announces a change of that store's access (or of
 * that user's in it). Nothing is kept while those announcements cannot be heard: before the
 * listening connection is up, while it reconnects (then every operation asks, as without a
 * cache), and everything kept is dropped when it is back, since changes made meanwhile were not
 * heard. Refusals are not kept: a granted access counts at once, and a refused caller costs a
 * lookup as without a cache, which is no worse than today.
 *
 * A lookup whose answer arrives after a change of its store was announced (it may have read the
 * old grants) is handed to its operation but not kept.
 */
export class AccessCache {
  private readonly entries = new Map<string, Entry>();
  /** Lookups under way, so that concurrent operations of one caller in one store ask once. */
  private readonly pending = new Map<string, Promise<string>>();
  /**
   * Counts announcements and drops. A lookup started before one that concerns its store may have
   * read the old grants and is not kept; one about another store leaves it alone, so that a busy
   * platform's changes elsewhere do not keep this store's staff from ever being kept.
   */
  private epoch = 0;
  /** The epoch of the latest change of each store, while lookups are under way to compare with. */
  private readonly storeChangedAt = new Map<string, number>();
  /** The epoch of the latest change of every store at once (a drop of everything). */
  private everythingChangedAt = 0;
  /** Lookups started and not yet answered, including those no longer in `pending`. */
  private inFlight = 0;
  private readonly maxEntries: number;
  private readonly marginMs: number;
  private readonly feed?: ChangeFeed;
  private retryTimer?: NodeJS.Timeout;
  private closed = false;
  /** `GET /access` lookups this cache let through (for tests and diagnostics). */
  lookups = 0;
  /** Notifications on the channel this cache has heard (for tests and diagnostics). */
  announcementsHeard = 0;

  constructor(options: AccessCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.marginMs = (options.marginSeconds ?? 30) * 1000;
    if (options.databaseUrl) {
      this.feed = new ChangeFeed({
        databaseUrl: options.databaseUrl,
        keyOf: () => '',
        applicationName: 'gateway-access-cache',
      });
      void this.start(options.databaseUrl, 500);
    }
  }

  /** Whether assertions are kept now: the announcements of changes are being heard. */
  get enabled(): boolean {
    return this.feed?.heard === true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The assertion of `token` in `storeId`: kept, or found by `lookup` (whose refusals pass through). */
  async assertion(token: string, userId: string, storeId: string, lookup: () => Promise<string>): Promise<string> {
    if (!this.enabled) {
      this.lookups += 1;
      return lookup();
    }
    const key = `${storeId} ${token}`;
    const entry = this.entries.get(key);
    if (entry && entry.usableUntil > Date.now()) {
      // Least recently used first in the map's order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.assertion;
    }
    if (entry) this.entries.delete(key);
    const already = this.pending.get(key);
    if (already) return already;
    const epoch = this.epoch;
    this.lookups += 1;
    this.inFlight += 1;
    const found = lookup().then((assertion) => {
      const expiry = expiresAt(assertion);
      if (
        this.enabled &&
        !this.changedSince(storeId, epoch) &&
        expiry !== undefined &&
        expiry - this.marginMs > Date.now()
      ) {
        this.entries.set(key, { assertion, storeId, userId, usableUntil: expiry - this.marginMs });
        while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      }
      return assertion;
    });
    this.pending.set(key, found);
    const forget = () => {
      if (this.pending.get(key) === found) this.pending.delete(key);
      this.inFlight -= 1;
      // Only lookups under way compare with the stores' changes: none left, none to remember.
      if (this.inFlight === 0) this.storeChangedAt.clear();
    };
    found.then(forget, forget);
    return found;
  }

  /** Drops what a change announced as `payload` makes stale; everything when it is unreadable or absent. */
  changed(payload?: string): void {
    if (payload !== undefined) this.announcementsHeard += 1;
    this.epoch += 1;
    const change = (() => {
      try {
        return JSON.parse(payload ?? '') as { storeId?: unknown; userId?: unknown };
      } catch {
        return undefined;
      }
    })();
    if (typeof change?.storeId !== 'string') {
      this.everythingChangedAt = this.epoch;
      this.pending.clear();
      return this.entries.clear();
    }
    if (this.inFlight > 0) this.storeChangedAt.set(change.storeId, this.epoch);
    // Operations arriving from now on ask afresh rather than wait for a lookup that may be stale.
    for (const key of this.pending.keys()) if (key.startsWith(`${change.storeId} `)) this.pending.delete(key);
    for (const [key, entry] of this.entries) {
      if (entry.storeId !== change.storeId) continue;
      if (typeof change.userId === 'string' && entry.userId !== change.userId) continue;
      this.entries.delete(key);
    }
  }

  /** Whether `storeId`'s access may have changed after `epoch`. */
  private changedSince(storeId: string, epoch: number): boolean {
    return this.everythingChangedAt > epoch || (this.storeChangedAt.get(storeId) ?? 0) > epoch;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.entries.clear();
    await this.feed?.close();
  }

  /**
   * Listens on the channel until it works (the feed itself reconnects once it has listened); every
   * (re)connection reports "anything may have changed", which empties the cache.
   *
   * Only in the customer subgraph's database: notifications reach listeners of the database they are
   * sent in, so a gateway listening anywhere else (a `DATABASE_URL` meant for something else) would
   * keep assertions that nothing ever drops. Such a database keeps the cache off for good.
   */
  private async start(databaseUrl: string, waitMs: number): Promise<void> {
    try {
      const probe = postgres(databaseUrl, { max: 1, fetch_types: false, onnotice: () => {} });
      try {
        const [row] = await probe`select to_regclass('customer.staff_members') is not null as found`;
        if (!row?.found) {
          console.warn(
            `[gateway] access cache off: ${new URL(databaseUrl).pathname.slice(1)} is not the customer subgraph's database (set CUSTOMER_DATABASE_URL); every staff operation asks /access`,
          );
          return;
        }
      } finally {
        await probe.end({ timeout: 1 });
      }
      if (this.closed) return;
      await this.feed!.subscribe(ACCESS_CHANNEL, '', (payload) => this.changed(payload));
      this.changed();
    } catch {
      if (this.closed) return;
      this.retryTimer = setTimeout(() => void this.start(databaseUrl, Math.min(waitMs * 2, 10_000)), waitMs);
    }
  }
}
