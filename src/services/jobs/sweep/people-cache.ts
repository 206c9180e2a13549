import { driverCollection } from '../../../db/driver-collection.js';
import type { Models } from '../../../db/models/index.js';
import type { UserDoc } from '../../../db/models/user.js';
import { LOOKUP_CONCURRENCY } from '../../../db/repositories/by-id.js';
import { inPool } from '../../../domain/pool.js';
import type { ListName } from '../../reporting/lists.js';

export type Person = Pick<UserDoc, '_id' | 'email' | 'name' | 'active'> & Partial<Pick<UserDoc, 'locale'>>;
const PERSON_FIELDS = { email: 1, name: 1, active: 1, locale: 1 } as const;

/**
 * People read during one sweep: each at most once, by `_id` (never `$in`, which scans), whichever
 * part needs them first (a batch of reminders, the action lists), even when both ask at the same time.
 */
export class PeopleCache {
  private readonly found = new Map<string, Person | null>();
  private readonly inFlight = new Map<string, Promise<void>>();
  lookups = 0;

  constructor(private readonly models: Models) {}

  async load(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)];
    const fresh = wanted.filter((id) => !this.found.has(id) && !this.inFlight.has(id));
    const lookup = inPool(fresh, LOOKUP_CONCURRENCY, async (id) => {
      // The driver directly: thousands of reads by `_id`, none needing mongoose's casting.
      const person = await driverCollection(this.models.User).findOne<Person>(
        { _id: id },
        { projection: PERSON_FIELDS },
      );
      this.found.set(id, person);
    });
    for (const id of fresh) this.inFlight.set(id, lookup);
    this.lookups += fresh.length;
    await Promise.all([lookup, ...wanted.map((id) => this.inFlight.get(id))]);
    for (const id of fresh) this.inFlight.delete(id);
  }

  get(id: string | null | undefined): Person | null {
    return id ? (this.found.get(id) ?? null) : null;
  }

  names(): Map<string, ListName> {
    const out = new Map<string, ListName>();
    for (const [id, p] of this.found) if (p) out.set(id, { name: p.name, email: p.email });
    return out;
  }
}
