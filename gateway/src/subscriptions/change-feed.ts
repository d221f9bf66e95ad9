import postgres from 'postgres';

/**
 * Called with the notification's payload for a change of the entity a subscriber follows, or with
 * none after a gap in listening (anything may have changed meanwhile).
 */
export type ChangeListener = (payload?: string) => void;

export interface ChangeFeedOptions {
  /** The database the changes are announced in (NOTIFY reaches only listeners of the same database). */
  databaseUrl: string;
  /** Turns a notification's payload into the key subscribers register under; undefined drops it. */
  keyOf: (channel: string, payload: string) => string | undefined;
  /** First wait before listening again after the connection is lost; doubles up to 10 s. */
  retryMs?: number;
  applicationName?: string;
}

/**
 * One PostgreSQL connection per gateway process that LISTENs on the channels its subscribers
 * need, and hands each notification to the subscribers of its key (e.g. `storeId:customerId`).
 * Every gateway replica runs its own, so a change committed anywhere reaches every replica's
 * subscribers, with no broker and no traffic between gateways.
 *
 * The connection opens with the first subscriber and stays open. When it drops (a database
 * restart, a terminated backend), notifications sent meanwhile are lost: it listens again, with
 * back-off, and then tells every subscriber that something may have changed, so each resolves its
 * selection once more. postgres.js's own `listen()` retries only once and then gives up silently,
 * hence this small supervisor around a plain connection.
 */
export class ChangeFeed {
  private readonly subscribers = new Map<string, Set<ChangeListener>>();
  private readonly channels = new Set<string>();
  private sql?: postgres.Sql;
  /** Settles when every channel is listened to; undefined until the first subscriber or after a failed start. */
  private listening?: Promise<void>;
  private state: 'idle' | 'listening' | 'reconnecting' | 'closed' = 'idle';
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly options: ChangeFeedOptions) {}

  /**
   * Registers `listener` for `key` on `channel`, and resolves once the channel is listened to, so
   * that nothing committed after this returns is missed. Rejects when the database cannot be
   * reached; the next subscriber tries again. Returns the function that unregisters.
   */
  async subscribe(channel: string, key: string, listener: ChangeListener): Promise<() => void> {
    if (this.state === 'closed') throw new Error('The change feed is closed');
    const entry = `${channel}\u0000${key}`;
    let set = this.subscribers.get(entry);
    if (!set) this.subscribers.set(entry, (set = new Set()));
    set.add(listener);
    const unsubscribe = () => {
      set.delete(listener);
      if (set.size === 0 && this.subscribers.get(entry) === set) this.subscribers.delete(entry);
    };
    try {
      await this.listen(channel);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /**
   * Whether every notification committed now will be heard: the connection is up and listening.
   * False before the first subscriber, while reconnecting, and after close.
   */
  get heard(): boolean {
    return this.state === 'listening';
  }

  /** How many subscriptions are registered (for tests and diagnostics). */
  get size(): number {
    let size = 0;
    for (const set of this.subscribers.values()) size += set.size;
    return size;
  }

  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    this.subscribers.clear();
    await this.sql?.end({ timeout: 1 });
  }

  private listen(channel: string): Promise<void> {
    if (this.channels.has(channel) && this.listening) {
      // While reconnecting, the catch-up after it covers what a new subscriber could miss.
      return this.state === 'reconnecting' ? Promise.resolve() : this.listening;
    }
    this.channels.add(channel);
    const previous = this.listening ?? Promise.resolve();
    const ready = previous.then(() => this.listenTo(channel));
    this.listening = ready;
    ready.then(
      () => {
        if (this.state === 'idle') this.state = 'listening';
      },
      () => {
        // Forget the failed start, so that the next subscriber opens the connection again.
        this.channels.delete(channel);
        if (this.listening === ready) this.listening = undefined;
      },
    );
    return ready;
  }

  private connection(): postgres.Sql {
    if (!this.sql) {
      const options = {
        max: 1,
        // One long-lived connection: no idle timeout and no recycling, which would drop the LISTEN.
        idle_timeout: 0,
        max_lifetime: null,
        fetch_types: false,
        onnotice: () => {},
        connection: { application_name: this.options.applicationName ?? 'gateway-live-updates' },
        onnotify: (channel: string, payload: string) => this.dispatch(channel, payload),
        onclose: () => this.lost(),
      };
      // `onnotify` is a postgres.js option its types do not declare (its `listen()` uses it).
      this.sql = postgres(this.options.databaseUrl, options as postgres.Options<Record<string, never>>);
    }
    return this.sql;
  }

  private async listenTo(channel: string): Promise<void> {
    await this.connection().unsafe(`listen "${channel.replace(/"/g, '""')}"`);
  }

  private dispatch(channel: string, payload: string): void {
    const key = this.options.keyOf(channel, payload);
    if (key === undefined) return;
    const set = this.subscribers.get(`${channel}\u0000${key}`);
    if (!set) return;
    for (const listener of [...set]) listener(payload);
  }

  /** The connection closed: listen again until it works, then let every subscriber catch up. */
  private lost(): void {
    if (this.state !== 'listening') return;
    this.state = 'reconnecting';
    let wait = this.options.retryMs ?? 500;
    const attempt = async () => {
      if (this.state !== 'reconnecting') return;
      try {
        for (const channel of this.channels) await this.listenTo(channel);
      } catch {
        wait = Math.min(wait * 2, 10_000);
        this.retryTimer = setTimeout(attempt, wait);
        return;
      }
      if (this.state !== 'reconnecting') return;
      this.state = 'listening';
      for (const set of [...this.subscribers.values()]) for (const listener of [...set]) listener();
    };
    this.retryTimer = setTimeout(attempt, 0);
  }
}
