import { changeFeed, type FeedEntry, feedKeyAt } from './change-feed.js';
import type { Models } from './models/index.js';
import { peopleDirectory } from './people-directory.js';
import { sessionCacheOf } from './session-store.js';

/** How often the head is read: a change reaches every instance within this plus one feed read. */
export const FEED_POLL_MS = 250;
/**
 * Each feed read goes back this far before the last good read: an entry keyed earlier (a writer's
 * clock a little behind, a slow insert) but visible only now is still seen. Wider than any clock
 * difference between instances should be.
 */
export const FEED_LOOKBACK_MS = 10_000;
const PAGE = 500;

/**
 * Applies the other instances' changes to this instance's memory: ends their sessions in the
 * session cache, reloads their people in the people directory. Only this poller reads the feed (a
 * request never does): one `_id` lookup of the head per poll, the feed itself only when it moved.
 * A failed poll is reported and retried at the next tick; nothing it does can fail a request.
 */
export class ChangeFeedPoller {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #polling: Promise<void> | null = null;
  /** The head's counter at the last complete read (-1: read the feed at the first poll). */
  #seq = -1;
  /** Wall time at the start of the last complete read; the next read starts a lookback before it. */
  #readFrom = Date.now();
  /** Entries applied, by key, forgotten once older than the lookback window. */
  readonly #seen = new Set<string>();
  #failing = false;

  constructor(
    private readonly models: Models,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = FEED_POLL_MS,
  ) {}

  /** Whether a next poll is scheduled (false once stopped). */
  get scheduled(): boolean {
    return this.#timer !== null || this.#polling !== null;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Stops polling and waits for a poll under way, so nothing touches the connection after. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#polling;
  }

  /** One poll (also for tests and measurements). */
  async pollOnce(): Promise<void> {
    const feed = changeFeed(this.models);
    const seq = await feed.headSeq();
    if (seq === this.#seq) return;
    const startedAt = Date.now();
    let after = feedKeyAt(this.#readFrom - FEED_LOOKBACK_MS);
    for (;;) {
      const entries = await feed.since(after, PAGE);
      for (const entry of entries) {
        if (this.#seen.has(entry._id)) continue;
        this.#seen.add(entry._id);
        if (entry.origin !== feed.origin) await this.#apply(entry);
      }
      if (entries.length < PAGE) break;
      after = entries[entries.length - 1]!._id;
    }
    this.#seq = seq;
    this.#readFrom = startedAt;
    this.#forgetBefore(feedKeyAt(startedAt - FEED_LOOKBACK_MS));
  }

  async #apply(entry: FeedEntry): Promise<void> {
    const cache = sessionCacheOf(this.models);
    if (entry.kind === 'session') cache?.evict(entry.sid);
    else if (entry.kind === 'sessions') cache?.evictSessionsOf(entry.userId, entry.exceptSid);
    else await peopleDirectory(this.models).refresh(entry.userId);
  }

  #forgetBefore(key: string): void {
    for (const id of this.#seen) if (id < key) this.#seen.delete(id);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#polling = this.pollOnce().then(
        () => {
          this.#failing = false;
        },
        (err: unknown) => {
          // Once per failing streak: a database away for a minute is one line, not 240.
          if (!this.#failing) this.onError(err);
          this.#failing = true;
        },
      );
      this.#polling.finally(() => {
        this.#polling = null;
        this.#schedule();
      });
    }, this.intervalMs);
  }
}
