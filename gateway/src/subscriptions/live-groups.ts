import type { ExecutionResult } from 'graphql';
import { liveResults, type Emission } from './fan-out.ts';

/** One subscriber of a group. */
export interface LiveMember {
  /**
   * Called before each resolution: a result ends this member's stream with it (its token has
   * expired, say), undefined keeps it.
   */
  admit(): Promise<ExecutionResult | undefined>;
}

export interface LiveSource<M> {
  follow: (onChange: () => void) => Promise<() => void>;
  /** Resolves the selection once, for all members, as `member` (the newest one admitted). */
  resolve: (member: M) => Promise<Emission>;
}

/**
 * Subscribers with the same key (principal, store, entity, document and variables) share one
 * stream: one listener on the change feed and one resolution after each change, whose result goes
 * to every member. A member that joins a running group gets the group's last result at once; the
 * group stops following when its last member leaves.
 */
export class LiveGroups<M extends LiveMember> {
  private readonly groups = new Map<string, Group<M>>();
  /** Resolutions run since the start, all groups together. */
  resolutions = 0;

  constructor(private readonly coalesceMs: number) {}

  /** Groups running, one per distinct key. */
  get size(): number {
    return this.groups.size;
  }

  join(key: string, member: M, source: () => LiveSource<M>): AsyncGenerator<ExecutionResult> {
    let group = this.groups.get(key);
    if (!group || group.ended) {
      group = new Group<M>(this.coalesceMs, source(), () => {
        if (this.groups.get(key) === group) this.groups.delete(key);
      });
      group.onResolve = () => void (this.resolutions += 1);
      this.groups.set(key, group);
    }
    return group.add(member);
  }
}

class Group<M extends LiveMember> {
  private readonly members = new Map<M, Outbox>();
  private readonly inner: AsyncGenerator<ExecutionResult>;
  private last: ExecutionResult | undefined;
  private started = false;
  ended = false;
  onResolve: () => void = () => {};

  constructor(
    coalesceMs: number,
    source: LiveSource<M>,
    private readonly onEnd: () => void,
  ) {
    this.inner = liveResults({
      coalesceMs,
      follow: source.follow,
      resolve: async () => {
        for (const [member, box] of [...this.members]) {
          const refusal = await member.admit();
          if (refusal) {
            this.members.delete(member);
            box.push(refusal);
            box.end();
          }
        }
        const newest = [...this.members.keys()].at(-1);
        if (!newest) return { result: { data: null }, final: true };
        this.onResolve();
        return source.resolve(newest);
      },
    });
  }

  add(member: M): AsyncGenerator<ExecutionResult> {
    const box = new Outbox(() => {
      if (this.members.get(member) === box) this.members.delete(member);
      if (this.members.size === 0) this.end();
    });
    this.members.set(member, box);
    if (this.last) box.push(this.last);
    if (!this.started) {
      this.started = true;
      void this.pump();
    }
    return box.stream();
  }

  private async pump(): Promise<void> {
    try {
      for await (const result of this.inner) {
        this.last = result;
        for (const box of this.members.values()) box.push(result);
      }
      this.finish((box) => box.end());
    } catch (error) {
      this.finish((box) => box.fail(error));
    }
  }

  private finish(close: (box: Outbox) => void): void {
    this.ended = true;
    this.onEnd();
    for (const box of this.members.values()) close(box);
    this.members.clear();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    // Aborts the waits and stops following; the pump then ends with no member left.
    void this.inner.return(undefined);
  }
}

/**
 * One member's results. A member that reads more slowly than changes come gets the latest result
 * only: a live view needs the state now, not every state in between.
 */
class Outbox {
  private pending: ExecutionResult | undefined;
  private closed = false;
  private error: { value: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly onLeave: () => void) {}

  push(result: ExecutionResult): void {
    if (this.closed) return;
    this.pending = result;
    this.wake?.();
  }

  end(): void {
    this.closed = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.error = { value: error };
    this.end();
  }

  stream(): AsyncGenerator<ExecutionResult> {
    const next = async (): Promise<IteratorResult<ExecutionResult>> => {
      for (;;) {
        if (this.pending) {
          const value = this.pending;
          this.pending = undefined;
          return { done: false, value };
        }
        if (this.error) {
          const { value } = this.error;
          this.error = undefined;
          throw value;
        }
        if (this.closed) return { done: true, value: undefined };
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    };
    const leave = () => {
      this.pending = undefined;
      this.closed = true;
      this.wake?.();
      this.onLeave();
    };
    const stream: AsyncGenerator<ExecutionResult> = {
      next,
      return: async () => {
        leave();
        return { done: true, value: undefined };
      },
      throw: async (error) => {
        leave();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return stream;
      },
    };
    return stream;
  }
}
