import { changeFeed } from './change-feed.js';
import type { Models } from './models/index.js';

/**
 * A batch lists the people it changed while it holds at most this many; beyond, its entry says
 * "reload everyone". The same bound as the poller's reads (change-feed-poller.ts): each listed person
 * costs every other instance one `_id` read (~0.7 ms), while a reload is one batched read of all
 * people, cheaper than a few hundred single reads, and the entry stays small.
 */
export const LISTED_PEOPLE_MAX = 100;

/**
 * Ended sessions are listed by person, this many per entry (about 30 KB): a deactivation of 10,000
 * people is 10 entries, not 10,000, and a poller applies each without reading anyone.
 */
export const SESSIONS_PER_ENTRY = 1000;

/**
 * The change-feed entries of a bulk write (an import of thousands of people): collected while it
 * runs and written by `flush`, one `people` entry for the whole batch and one `sessionsOf` entry per
 * SESSIONS_PER_ENTRY people whose sessions ended, instead of one entry (two commands) per row.
 * A full list of ended sessions is written at once, so a leaver's session in another instance
 * outlives the database's by at most the time to gather that many, not the whole import.
 */
export class FeedBatch {
  readonly #people = new Set<string>();
  #sessionsOf: string[] = [];

  constructor(private readonly models: Models) {}

  /** A person this batch created or changed (this process's directory already has them). */
  personWritten(userId: string): void {
    this.#people.add(userId);
  }

  /** A person whose every session this batch ended (in the database and this process's cache). */
  async sessionsEnded(userId: string): Promise<void> {
    this.#sessionsOf.push(userId);
    if (this.#sessionsOf.length >= SESSIONS_PER_ENTRY) await this.#flushSessions();
  }

  /** Writes what is left: the ended sessions first (the security part), then the people. */
  async flush(): Promise<void> {
    await this.#flushSessions();
    if (!this.#people.size) return;
    const ids = [...this.#people];
    this.#people.clear();
    await changeFeed(this.models).publish(
      ids.length <= LISTED_PEOPLE_MAX ? { kind: 'people', userIds: ids } : { kind: 'people' },
    );
  }

  async #flushSessions(): Promise<void> {
    if (!this.#sessionsOf.length) return;
    const userIds = this.#sessionsOf;
    this.#sessionsOf = [];
    await changeFeed(this.models).publish({ kind: 'sessionsOf', userIds });
  }
}
