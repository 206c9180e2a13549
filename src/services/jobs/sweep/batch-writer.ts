import { driverCollection } from '../../../db/driver-collection.js';
import { insertManyOnce } from '../../../db/insert-once.js';
import { clauseMemoryKey } from '../../../db/keys.js';
import type { Models } from '../../../db/models/index.js';
import type { ClauseMemoryDoc } from '../../../db/models/mastery.js';
import type { CycleDoc } from '../../../db/models/training.js';
import { LOOKUP_CONCURRENCY } from '../../../db/repositories/by-id.js';
import type { Course } from '../../../domain/course.js';
import { mostDue } from '../../../domain/mastery/memory.js';
import { SPACED_CLAUSE_COUNT } from '../../../domain/mastery/spaced.js';
import { inPool } from '../../../domain/pool.js';
import type { MailOrganisation } from '../../../mail/templates.js';
import type { OutgoingMail } from '../../../mail/transport.js';
import type { Catalogue } from '../../courses/catalogue.js';
import type { PeopleCache } from './people-cache.js';
import { type BatchWork, type PendingReminder, peopleToLookUp, reminderMail } from './plan.js';

// The writes and lookups below use the driver's collections directly: the documents are built
// with their final types, and skipping mongoose's casting of tens of thousands of them leaves the
// CPU to FerretDB (the two share this machine's cores).

/** Inserts (cycles, reminder claims) per insertMany. */
const INSERT_BATCH = 1000;
/**
 * Operations per bulk update, one bulk write at a time: FerretDB v1.24 stalls on a bulk update of
 * 100 or more operations, and on two bulk updates at once (both measured).
 */
const BULK_UPDATES = 50;

/** What the batches wrote: the messages of the reminders this sweep claimed, and the counts. */
export interface WrittenBatches {
  mails: OutgoingMail[];
  cyclesOpened: number;
  remindersAlreadySent: number;
}

/** What the writer needs besides the database: the courses and the site address (for messages). */
export interface WriterSite {
  models: Models;
  courses: Map<string, Course>;
  baseUrl: string;
  /** Who the reminders come from and whom they say to ask (the organisation profile). */
  org: MailOrganisation;
  /** The courses in each served language, for reminders in the recipient's language. */
  catalogue?: Pick<Catalogue, 'inLanguage'>;
}

/**
 * Applies each batch's planned work in order, one batch at a time, while the pass goes on, and
 * collects the messages of the reminders claimed. Within a batch, two chains run side by side: the
 * cycles then the states, and the reminders (claimed, their people looked up; reads, so they
 * overlap the state writes instead of waiting for them). After a failure the rest is skipped and
 * the sweep fails; the next sweep redoes what is missing (every write is idempotent).
 */
export class BatchWriter {
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private readonly written: WrittenBatches = { mails: [], cyclesOpened: 0, remindersAlreadySent: 0 };

  constructor(
    private readonly site: WriterSite,
    private readonly people: PeopleCache,
    /** Throws once the sweep lost its job lease (issue #30): checked before each batch's writes. */
    private readonly checkLease: () => void = () => {},
  ) {}

  /** Queues a batch's writes behind the batches before it. */
  add(work: BatchWork): void {
    if (!work.updates.length && !work.cycles.length && !work.reminders.length) return;
    this.chain = this.chain
      .then(async () => {
        if (this.failure) return;
        this.checkLease();
        const [opened, claimed] = await Promise.all([
          writeCyclesThenStates(this.site.models, work),
          claimReminders(this.site, work.reminders, this.people),
        ]);
        this.written.cyclesOpened += opened;
        this.written.remindersAlreadySent += claimed.alreadySent;
        this.written.mails.push(...claimed.mails);
      })
      // Kept, not thrown: the chain must never hold an unhandled rejection while the pass reads.
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every queued batch; throws the first failure. */
  async finish(): Promise<WrittenBatches> {
    await this.chain;
    this.throwIfFailed();
    return this.written;
  }
}

/** A batch's cycles, then its states; returns the cycles this sweep opened. */
async function writeCyclesThenStates(models: Models, work: BatchWork): Promise<number> {
  // The cycle before the summary that points at it: after a crash in between, the next sweep's
  // insert finds the cycle already there and still writes the summary.
  const opened = await insertCycles(models, work.cycles);
  await writeStates(models, work.updates);
  return opened;
}

async function insertCycles(models: Models, cycles: CycleDoc[]): Promise<number> {
  let opened = 0;
  for (let i = 0; i < cycles.length; i += INSERT_BATCH) {
    const batch = cycles.slice(i, i + INSERT_BATCH);
    opened += (await insertManyOnce(driverCollection(models.Cycle), batch)).size;
  }
  return opened;
}

async function writeStates(models: Models, updates: BatchWork['updates']): Promise<void> {
  for (let i = 0; i < updates.length; i += BULK_UPDATES) {
    await driverCollection(models.Assignment).bulkWrite(updates.slice(i, i + BULK_UPDATES), {
      ordered: false,
    });
  }
}

/**
 * For each spaced refresher this sweep claimed (issue #23), the clauses most due for review at the
 * sweep's time: the learner's memory read by `_id` (a few at a time), only for the few whose
 * refresher falls today, never for everyone.
 */
async function spacedPicks(site: WriterSite, claimed: PendingReminder[]): Promise<Map<string, string[]>> {
  const picks = new Map<string, string[]>();
  const spaced = claimed.filter((p) => p.plan.kind === 'spaced');
  await inPool(spaced, LOOKUP_CONCURRENCY, async (p) => {
    const course = site.courses.get(p.a.courseId);
    if (!course) return;
    const memory = await driverCollection(site.models.ClauseMemory).findOne<Pick<ClauseMemoryDoc, 'clauses'>>(
      { _id: clauseMemoryKey(p.a.userId, p.a.courseId) },
      { projection: { clauses: 1 } },
    );
    const ids = course.clauses.map((c) => c.id);
    picks.set(p.doc._id, mostDue(memory?.clauses ?? {}, ids, p.doc.createdAt, SPACED_CLAUSE_COUNT));
  });
  // Kept with the claimed reminder before the e-mail goes, so the practice page it links to asks
  // about the clauses it names (services/learning/practice.ts).
  const writes = [...picks].map(([_id, clauses]) => ({
    updateOne: { filter: { _id }, update: { $set: { clauses } } },
  }));
  if (writes.length) await driverCollection(site.models.Reminder).bulkWrite(writes, { ordered: false });
  return picks;
}

/**
 * Claims the reminders in batches by inserting their keys, and returns the messages of the ones
 * this sweep claimed (a duplicate key means another sweep owns it): each person looked up once
 * (by `_id`, a few at a time), the messages handed to the mailer together (the outbox stores them
 * with a few inserts, not one per message). A send that fails after the claim is not retried (at
 * most once beats twice for a reminder); the next reminder in the cadence follows.
 */
async function claimReminders(
  site: WriterSite,
  pending: PendingReminder[],
  people: PeopleCache,
): Promise<{ mails: OutgoingMail[]; alreadySent: number }> {
  const mails: OutgoingMail[] = [];
  let alreadySent = 0;
  for (let i = 0; i < pending.length; i += INSERT_BATCH) {
    const batch = pending.slice(i, i + INSERT_BATCH);
    const claimed = await insertManyOnce(
      driverCollection(site.models.Reminder),
      batch.map((p) => p.doc),
    );
    alreadySent += batch.length - claimed.size;
    const mine = batch.filter((_, k) => claimed.has(k));
    const [, spaced] = await Promise.all([
      people.load(mine.flatMap(peopleToLookUp)),
      spacedPicks(site, mine),
    ]);
    for (const p of mine) {
      const mail = reminderMail(p, people, site, spaced.get(p.doc._id));
      if (mail) mails.push(mail);
    }
  }
  return { mails, alreadySent };
}
