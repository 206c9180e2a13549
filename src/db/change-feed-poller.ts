import {
  changeFeed,
  FEED_SLOTS,
  type FeedEntry,
  SHARED_SETTINGS,
  type SharedSetting,
} from './change-feed.js';
import type { Models } from './models/index.js';
import { peopleDirectory } from './people-directory.js';
import { sessionCacheOf } from './session-store.js';

/** How often the head is read: a change reaches every instance within this plus its slot's read. */
export const FEED_POLL_MS = 250;
/** Further behind than this (a burst of single changes; an import is one entry): drop every copy rather than read each entry. */
const MAX_READS = Math.min(100, FEED_SLOTS);
/**
 * An entry numbered but not written for this long (its writer died between its two writes) is
 * given up: this instance starts afresh, as it cannot know what the entry said.
 */
const GAP_WAIT_MS = 2000;

/** Reads a changed setting again (services/settings-feed.ts: the layers above keep those copies). */
export type SettingListener = (changed: readonly SharedSetting[]) => Promise<void>;

/**
 * Applies the other instances' changes to this instance's memory: ends their sessions in the
 * session cache, reads their people again into the people directory, and has the settings they
 * changed read again (onSettingChanged: the catalogue, the profile, the LRS settings). Only this poller reads the
 * feed (a request never does): one `_id` lookup of the head per poll and, when it moved, one `_id`
 * lookup per new entry. A failed poll is reported and retried at the next tick; nothing it does
 * can fail a request. "Starting afresh" (fallen a lap behind, a lost entry, a restored database)
 * drops every cached session (each is read again once), reloads the people directory and every setting.
 */
export class ChangeFeedPoller {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #polling: Promise<void> | null = null;
  /** The last entry applied (-1: not known yet; the first poll that reads the head starts afresh). */
  #seq = -1;
  /** Since when the next entry is numbered but not written. */
  #gapSince: number | null = null;
  #failing = false;
  #settingListeners: SettingListener[] = [];

  constructor(
    private readonly models: Models,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = FEED_POLL_MS,
  ) {}

  /** Whether a poll is scheduled or under way (false once stopped). */
  get scheduled(): boolean {
    return this.#timer !== null || this.#polling !== null;
  }

  /**
   * Notes where the feed stands before the app serves (so nothing this instance caches afterwards
   * can miss an entry), then polls.
   */
  async start(): Promise<void> {
    this.#stopped = false;
    this.#seq = await changeFeed(this.models)
      .headSeq()
      .catch((err: unknown) => {
        this.onError(err);
        this.#failing = true;
        return -1;
      });
    this.#schedule();
  }

  /**
   * Called with the settings other instances changed (after the sessions and people of the same
   * poll), and with every setting when this instance starts afresh (it may have missed one).
   */
  onSettingChanged(listener: SettingListener): void {
    this.#settingListeners.push(listener);
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
    const head = await feed.headSeq();
    if (head === this.#seq) return;
    if (head < this.#seq && this.#seq > 0 && (await feed.slot(this.#seq))?.seq === this.#seq) {
      // A racing increment (not atomic on FerretDB v1) put the head back for a moment; the entries
      // applied are still there, so the feed was not restored: wait for the head to move past them.
      return;
    }
    if (this.#seq < 0 || head < this.#seq || head - this.#seq > MAX_READS) return this.#startAfresh(head);
    const entries: FeedEntry[] = [];
    for (let n = this.#seq + 1; n <= head; n += 1) {
      const entry = await feed.slot(n);
      if (entry && entry.seq > n) return this.#startAfresh(head); // overwritten: a lap behind
      if (entry?.seq !== n) {
        this.#gapSince ??= Date.now();
        // Its writer is between its two writes: apply those before it, wait for it.
        if (Date.now() - this.#gapSince < GAP_WAIT_MS) break;
        return this.#startAfresh(head);
      }
      this.#gapSince = null;
      entries.push(entry);
    }
    await this.#apply(entries.filter((e) => e.origin !== feed.origin));
    this.#seq += entries.length;
  }

  async #startAfresh(head: number): Promise<void> {
    sessionCacheOf(this.models)?.evictAll();
    await peopleDirectory(this.models).reloadAll();
    await this.#settingsChanged(SHARED_SETTINGS);
    this.#gapSince = null;
    this.#seq = head;
  }

  /**
   * Sessions first (the security part), then each changed person read once, or everyone once when
   * a batch changed too many to list.
   */
  async #apply(entries: FeedEntry[]): Promise<void> {
    const cache = sessionCacheOf(this.models);
    const people = new Set<string>();
    const settings = new Set<SharedSetting>();
    let everyone = false;
    for (const entry of entries) {
      if (entry.kind === 'setting') {
        settings.add(entry.what);
        continue;
      }
      if (entry.kind === 'session') cache?.evict(entry.sid);
      else if (entry.kind === 'sessions') cache?.evictSessionsOf(entry.userId, entry.exceptSid);
      else if (entry.kind === 'sessionsOf') for (const id of entry.userIds) cache?.evictSessionsOf(id);
      else if (entry.kind === 'person') people.add(entry.userId);
      else if (entry.userIds) for (const id of entry.userIds) people.add(id);
      else everyone = true;
    }
    const directory = peopleDirectory(this.models);
    if (everyone) await directory.reloadAll();
    else for (const id of people) await directory.refresh(id);
    if (settings.size) await this.#settingsChanged([...settings]);
  }

  /**
   * Each listener on its own: one that fails (a course version that does not resolve, a read
   * error) is reported and the poll goes on, so the entries still count as applied. Retrying them
   * would apply every entry again at each poll and, once behind, start afresh at each poll (every
   * session dropped, everyone read again); the copy is left to the layer's own periodic re-read.
   */
  async #settingsChanged(changed: readonly SharedSetting[]): Promise<void> {
    for (const listener of this.#settingListeners) {
      await listener(changed).catch((cause: unknown) =>
        this.onError(
          new Error(`change feed: reading the changed ${changed.join(', ')} settings again failed`, {
            cause,
          }),
        ),
      );
    }
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
