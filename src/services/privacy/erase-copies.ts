import type { Models } from '../../db/models/index.js';
import type { ReportListChunkDoc } from '../../db/models/reporting.js';
import type { UserDoc } from '../../db/models/user.js';
import type { pseudonymFor } from '../../domain/retention.js';

type Pseudonym = ReturnType<typeof pseudonymFor>;
type Person = Pick<UserDoc, '_id' | 'name' | 'email'>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A copy of `value` in which every string naming the person (their name or e-mail, in any case,
 * also inside a longer text such as a subject line) names the pseudonym instead.
 */
export function withPseudonym(value: unknown, person: Person, p: Pseudonym): unknown {
  const swaps = [
    [person.email, p.email],
    [person.name, p.name],
  ].filter(([from]) => from && from.trim().length >= 3) as Array<[string, string]>;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string')
      return swaps.reduce((s, [from, to]) => s.replace(new RegExp(escapeRegExp(from), 'gi'), to), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Date || v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(value);
}

/** Rewrites each document whose pseudonymised copy differs; returns how many changed. */
async function rewrite(
  model: { replaceOne(f: object, d: object): PromiseLike<unknown> },
  docs: Array<Record<string, unknown>>,
  person: Person,
  p: Pseudonym,
): Promise<number> {
  let changed = 0;
  for (const doc of docs) {
    const after = withPseudonym(doc, person, p);
    if (JSON.stringify(after) === JSON.stringify(doc)) continue;
    await model.replaceOne({ _id: doc._id }, after as object);
    changed += 1;
  }
  return changed;
}

/** Whether a people-list query string (a bulk job's way back) searched for the person. */
function namesPerson(query: string, person: Person): boolean {
  let text = query;
  try {
    text = decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    // A malformed escape: compare the raw text.
  }
  const lower = text.toLowerCase();
  return [person.name, person.email].some((s) => s.trim().length >= 3 && lower.includes(s.toLowerCase()));
}

/**
 * The copies of the person's name and e-mail outside their own records: failed mails to them,
 * CSV import previews listing them, HR home's summary, action lists naming them (as the person or
 * as a manager), bulk jobs found by searching for them; and HR's free-text reasons for revoking
 * their certificates (the fact and day of the revocation stay, the words become "erased").
 */
export async function eraseCopies(
  models: Models,
  person: Person,
  p: Pseudonym,
): Promise<Record<string, number>> {
  const userId = person._id;
  const lean = <T>(q: { lean(): PromiseLike<T> }) => q.lean();
  const [failures, previews, needsMe, chunks] = await Promise.all([
    lean<Array<Record<string, unknown>>>(models.MailFailure.find({ to: person.email })),
    lean<Array<Record<string, unknown>>>(
      models.ImportPreview.find({
        $or: [
          { 'deactivate.userId': userId },
          { 'changes.userId': userId },
          { 'rejected.email': person.email },
        ],
      }),
    ),
    // A few documents, written by the nightly: each is read and rewritten if it names the person.
    lean<Array<Record<string, unknown>>>(models.NeedsMe.find({})),
    lean<ReportListChunkDoc[]>(
      models.ReportListChunk.find({ $or: [{ 'rows.userId': userId }, { 'rows.managerId': userId }] }),
    ),
  ]);
  const jobs = await models.BulkJob.find({ userIds: userId }, { filterQuery: 1 }).lean();
  const searched = jobs.filter((j) => namesPerson(j.filterQuery ?? '', person)).map((j) => j._id);
  const [revocations, certificates] = await Promise.all([
    models.CertificateRevocation.updateMany({ userId }, { $set: { reason: 'erased' } }),
    models.Certificate.updateMany(
      { userId, revokedReason: { $nin: [null, ''] } },
      { $set: { revokedReason: 'erased' } },
    ),
  ]);
  return {
    mail_failures: await rewrite(models.MailFailure, failures, person, p),
    import_previews: await rewrite(models.ImportPreview, previews, person, p),
    needs_me: await rewrite(models.NeedsMe, needsMe, person, p),
    report_list_chunks: await renameInActionLists(models, chunks, userId, p),
    bulk_jobs: searched.length
      ? (await models.BulkJob.updateMany({ _id: { $in: searched } }, { $set: { filterQuery: '' } }))
          .modifiedCount
      : 0,
    certificate_revocations: revocations.modifiedCount,
    certificate_reasons: certificates.modifiedCount,
  };
}

/** The stored overdue and due-soon lists name the person (or them as a manager) until their next rewrite. */
async function renameInActionLists(
  models: Models,
  chunks: ReportListChunkDoc[],
  userId: string,
  p: Pseudonym,
): Promise<number> {
  for (const chunk of chunks) {
    const rows = chunk.rows.map((r) => ({
      ...r,
      ...(r.userId === userId ? { name: p.name, email: p.email } : {}),
      ...(r.managerId === userId ? { managerName: p.name } : {}),
    }));
    await models.ReportListChunk.updateOne({ _id: chunk._id }, { $set: { rows } });
  }
  return chunks.length;
}
