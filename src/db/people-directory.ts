import { changeFeed } from './change-feed.js';
import { driverCollection } from './driver-collection.js';
import type { FeedBatch } from './feed-batch.js';
import type { Models } from './models/index.js';
import type { UserDoc } from './models/user.js';
import { readAhead } from './read-ahead.js';

/**
 * The comment on the change feed's reads of people (the poller's, on its own timer): the tests that
 * count a request's or a job's database commands leave them out (tests/helpers/db-commands.ts).
 */
export const CHANGE_FEED_READ = 'change-feed';

/** What the HR people list shows of a person. */
export type DirectoryEntry = Pick<
  UserDoc,
  '_id' | 'name' | 'email' | 'employeeId' | 'department' | 'role' | 'active'
> & { managerId?: string | null; locale?: string };

const FIELDS = {
  name: 1,
  email: 1,
  employeeId: 1,
  department: 1,
  role: 1,
  active: 1,
  managerId: 1,
  locale: 1,
} as const;

/** A person held, with their searchable text (HR's filtered people list matches on it). */
export interface Held {
  entry: DirectoryEntry;
  /** The searchable fields, lower-cased once. */
  text: string;
}

/** Only the listed fields: `put` receives whole people, and the copy must never hold a password hash. */
function held(p: DirectoryEntry): Held {
  const entry: DirectoryEntry = {
    _id: p._id,
    name: p.name,
    email: p.email,
    employeeId: p.employeeId,
    department: p.department ?? '',
    role: p.role,
    active: p.active,
    managerId: p.managerId ?? null,
    // The language the person chose ('' = none): HR's list shows and filters it.
    locale: p.locale ?? '',
  };
  const text = [entry.name, entry.email, entry.employeeId ?? '', entry.department].join('\n').toLowerCase();
  return { entry, text };
}

const byNameThenId = (a: Held, b: Held) =>
  a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : a.entry._id < b.entry._id ? -1 : 1;

/**
 * The people HR browses and searches, held in the process's memory. FerretDB answers a sorted,
 * paged or searched list of people by decoding and sorting all of them (6.7 s a page at 100,000
 * people, measured); from memory a page is a slice, and a search a substring test per person.
 *
 * Kept current: the people service puts each person it writes (`personWritten`, after the write)
 * and it is applied at once (also while a load runs). People written by another process (a second
 * instance, the `lms` CLI) are read again when the change-feed poller sees them (within a second);
 * as a last resort, once the copy is older than the caller's limit the next view reloads it in the
 * background. Only the first view after a start waits for a load.
 */
export class PeopleDirectory {
  private byId: Map<string, Held> | null = null;
  private sorted: Held[] | null = null;
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private writtenDuringLoad: Held[] = [];

  constructor(private readonly models: Models) {}

  /** One page of people sorted by name, whose name, e-mail, employee ID or department contains `q`. */
  async page(
    query: { q: string; page: number; size: number },
    nowMs: number,
    maxAgeMs: number,
  ): Promise<{ people: DirectoryEntry[]; hasNext: boolean }> {
    if (!this.byId) await this.load(nowMs);
    else if (nowMs - this.loadedAt > maxAgeMs) {
      // A failed reload keeps the copy; the next view tries again.
      this.load(nowMs).catch(() => {});
    }
    this.sorted ??= [...this.byId!.values()].sort(byNameThenId);
    const q = query.q.trim().toLowerCase();
    const skip = (query.page - 1) * query.size;
    const found: DirectoryEntry[] = [];
    let matched = 0;
    for (const h of this.sorted) {
      if (q && !h.text.includes(q)) continue;
      matched += 1;
      if (matched <= skip) continue;
      if (found.length === query.size) return { people: found, hasNext: true };
      found.push(h.entry);
    }
    return { people: found, hasNext: false };
  }

  /** Everyone, sorted by name (the filtered people list walks them; reloads as `page` does). */
  async everyone(nowMs: number, maxAgeMs: number): Promise<readonly Held[]> {
    if (!this.byId) await this.load(nowMs);
    else if (nowMs - this.loadedAt > maxAgeMs) this.load(nowMs).catch(() => {});
    this.sorted ??= [...this.byId!.values()].sort(byNameThenId);
    return this.sorted;
  }

  /**
   * A person's own language choice ('' = none) as held, for the page language of their every
   * request (a change by HR or on another device applies at their next page); undefined for someone
   * the copy does not hold yet. Loads and reloads as `page` does, without sorting.
   */
  async localeOf(id: string, nowMs: number, maxAgeMs: number): Promise<string | undefined> {
    if (!this.byId) await this.load(nowMs);
    else if (nowMs - this.loadedAt > maxAgeMs) this.load(nowMs).catch(() => {});
    return this.byId?.get(id)?.entry.locale;
  }

  /** A person this process has just created or changed. */
  put(person: DirectoryEntry): void {
    const h = held(person);
    if (this.loading) this.writtenDuringLoad.push(h);
    this.apply(h);
  }

  /**
   * Reads one person again (another instance changed them: the change feed). Nothing to do before
   * the first load, which reads everyone.
   */
  async refresh(id: string): Promise<void> {
    if (!this.byId && !this.loading) return;
    const person = await driverCollection(this.models.User).findOne<DirectoryEntry>(
      { _id: id },
      { projection: FIELDS, comment: CHANGE_FEED_READ },
    );
    if (person) this.put(person);
    else if (this.byId?.delete(id)) this.sorted = null;
  }

  /** Reads everyone again, if held (the change feed could not say who changed elsewhere). */
  async reloadAll(): Promise<void> {
    if (this.byId) await this.load(this.loadedAt, CHANGE_FEED_READ);
  }

  private apply(h: Held): void {
    if (!this.byId) return;
    this.byId.set(h.entry._id, h);
    this.sorted = null;
  }

  private load(nowMs: number, comment?: string): Promise<void> {
    this.loading ??= (async () => {
      this.writtenDuringLoad = [];
      // The driver's cursor, a batch read ahead: no mongoose work per person.
      const cursor = driverCollection(this.models.User).find<DirectoryEntry>(
        {},
        { projection: FIELDS, batchSize: 1000, ...(comment ? { comment } : {}) },
      );
      const byId = new Map<string, Held>();
      for await (const batch of readAhead(cursor)) for (const p of batch) byId.set(p._id, held(p));
      this.byId = byId;
      this.sorted = null;
      this.loadedAt = nowMs;
      // Written after the load read them, perhaps: the newer copy wins.
      for (const h of this.writtenDuringLoad) this.apply(h);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }
}

const directories = new WeakMap<Models, PeopleDirectory>();

/** The directory of one database's people (one per connection's models). */
export function peopleDirectory(models: Models): PeopleDirectory {
  let dir = directories.get(models);
  if (!dir) {
    dir = new PeopleDirectory(models);
    directories.set(models, dir);
  }
  return dir;
}

/**
 * A person this process has just created or changed: in its own directory at once, and in the other
 * instances' through the change feed (an entry of its own, or the batch's one entry when given).
 */
export async function personWritten(
  models: Models,
  person: DirectoryEntry,
  batch?: FeedBatch,
): Promise<void> {
  peopleDirectory(models).put(person);
  if (batch) batch.personWritten(person._id);
  else await changeFeed(models).publish({ kind: 'person', userId: person._id });
}
