import type { KeyObject } from 'node:crypto';
import type { AuditAnchorDoc, AuditEventDoc } from '../../db/models/audit-event.js';
import type { Models } from '../../db/models/index.js';
import {
  type AnchorVerifier,
  anchorHour,
  anchorVerifier,
  type Fingerprint,
  HOUR_MS,
  hourStart,
} from '../../domain/audit-anchor.js';
import { type ChainBreak, type ChainedEvent, chainChecker, GENESIS_HASH } from '../../domain/audit-chain.js';
import type { ServiceContext } from '../context.js';

export interface VerifyOptions {
  /** Checks each signed anchor's signature; without it every signed anchor is a failure. */
  publicKey?: KeyObject | null;
  /** When given, events this long after their hour without a signed anchor are a failure. */
  now?: Date;
  /** From a digest e-mail: the chain must hold this event with this hash prefix. */
  fingerprint?: Fingerprint;
}

export interface ChainReport {
  ok: boolean;
  /** Events verified intact, in order from the first (all of them when the chain is intact). */
  count: number;
  /** The first broken link of the chain, or the first event that differs from an anchor. */
  brokenAt: ChainBreak | null;
  /** Anchors whose signature checks out, and unsigned ones from before signing was enabled. */
  anchors: { signed: number; unsigned: number };
  /** The key the signatures were checked with. */
  keyId: string | null;
  /**
   * The last event verified intact (seq 0 and the genesis hash for an empty log): a fingerprint
   * taken from it describes exactly the chain this report checked.
   */
  end: { seq: number; hash: string };
  /** Every reason the log fails verification (empty when ok). */
  failures: string[];
  /** Facts worth knowing that do not fail it (hours without an anchor, events not yet anchored). */
  notes: string[];
}

export function toChainedEvent(doc: AuditEventDoc): ChainedEvent {
  return {
    seq: doc.seq,
    at: doc.at,
    actorId: doc.actorId,
    action: doc.action,
    targetType: doc.targetType,
    targetId: doc.targetId,
    subjectId: doc.subjectId,
    details: doc.details ?? {},
    ...(doc.personalDigest ? { personalDigest: doc.personalDigest } : {}),
    ...(doc.personal ? { personal: doc.personal, salt: doc.salt ?? null } : {}),
    prevHash: doc.prevHash,
    hash: doc.hash,
  };
}

/** An anchor is due in the first quarter-hour of the next hour; allow that whole next hour. */
const ANCHOR_DUE_MS = 2 * HOUR_MS;

type Anchor = AuditAnchorDoc & { kind: 'signed' | 'unsigned' };

interface SortedAnchors {
  /** Signed with a valid signature, and unsigned ones older than the first signed one. */
  trusted: Anchor[];
  firstSigned: Anchor | null;
  lastSigned: Anchor | null;
  failures: string[];
  notes: string[];
}

/** Checks each anchor's signature; unsigned anchors are legacy only before the first signed one. */
function sortAnchors(docs: AuditAnchorDoc[], verifier: AnchorVerifier | null): SortedAnchors {
  const byTime = [...docs].sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
  const out: SortedAnchors = { trusted: [], firstSigned: null, lastSigned: null, failures: [], notes: [] };
  const signed: Anchor[] = [];
  for (const a of byTime) {
    if (a.signature === undefined && a.keyId === undefined) continue;
    const fields = { id: a._id, seq: a.seq, hash: a.hash, at: a.at, keyId: a.keyId ?? '' };
    if (!verifier) out.failures.push(`anchor ${a._id} is signed, but no public key was given to check it`);
    else if (a.keyId !== verifier.keyId)
      out.failures.push(
        `anchor ${a._id} is signed with key ${a.keyId ?? '(none)'}, not ${verifier.keyId}: check it with that key's --public-key`,
      );
    else if (!verifier.verify(fields, a.signature ?? ''))
      out.failures.push(`anchor ${a._id}: its signature does not match its contents (forged or altered)`);
    else signed.push({ ...a, kind: 'signed' });
  }
  out.firstSigned = signed[0] ?? null;
  out.lastSigned = signed.reduce<Anchor | null>((last, a) => (last && last.seq >= a.seq ? last : a), null);
  const first = out.firstSigned;
  let legacy = 0;
  for (const a of byTime) {
    if (a.signature !== undefined || a.keyId !== undefined) continue;
    if (first && (a.at.getTime() >= first.at.getTime() || a.seq > first.seq))
      out.failures.push(
        `anchor ${a._id} is unsigned, but was written after signing began (anchor ${first._id})`,
      );
    else {
      legacy += 1;
      out.trusted.push({ ...a, kind: 'unsigned' });
    }
  }
  if (legacy > 0)
    out.notes.push(`${legacy} anchor${legacy === 1 ? '' : 's'} unsigned (before signing was enabled)`);
  out.trusted.push(...signed);
  return out;
}

/** `events 4–6`, or `event 6`. */
const eventRange = (from: number, to: number) => (from === to ? `event ${from}` : `events ${from}–${to}`);

/** `2026-03-02T10 to 2026-03-02T13` or a single hour. */
const hourRange = (from: string, to: string) => (from === to ? from : `${from} to ${to}`);

/** What one pass over the events found. */
interface ChainWalk {
  /** Events linked intact (all of them when nothing broke). */
  verified: number;
  brokenAt: ChainBreak | null;
  lastSeq: number;
  /** The last event linked intact. */
  intactEnd: { seq: number; hash: string };
  firstEventAt: Date | null;
  /** Hours (by event time) that had events after the first signed anchor. */
  eventHours: Set<string>;
  /** The first event after the last signed anchor. */
  firstUncovered: { seq: number; at: Date } | null;
  /** The hash of the event a fingerprint names, when the chain reaches it. */
  fingerprintHash: string | null;
}

/**
 * Walks the whole chain in sequence (`_id`) order with a cursor, so memory stays flat however long
 * the log is, and stops at the first broken link or the first event that differs from an anchor.
 */
async function walkChain(models: Models, sorted: SortedAnchors, fingerprintSeq?: number): Promise<ChainWalk> {
  const anchoredAt = new Map<number, Anchor[]>();
  for (const a of sorted.trusted) anchoredAt.set(a.seq, [...(anchoredAt.get(a.seq) ?? []), a]);
  const firstSignedSeq = sorted.firstSigned?.seq ?? Number.POSITIVE_INFINITY;
  const coveredUpTo = sorted.lastSigned?.seq ?? 0;
  const checker = chainChecker();
  const walk: Omit<ChainWalk, 'verified'> = {
    brokenAt: null,
    lastSeq: 0,
    intactEnd: { seq: 0, hash: GENESIS_HASH },
    firstEventAt: null,
    eventHours: new Set<string>(),
    firstUncovered: null,
    fingerprintHash: null,
  };
  const cursor = models.AuditEvent.find({}).sort({ _id: 1 }).lean<AuditEventDoc[]>().cursor();
  try {
    for await (const doc of cursor) {
      const event = doc as AuditEventDoc;
      walk.lastSeq = event.seq;
      walk.firstEventAt ??= event.at;
      const link = checker.check(toChainedEvent(event));
      if (link) {
        walk.brokenAt = link;
        break;
      }
      const differs = (anchoredAt.get(event.seq) ?? []).find((a) => a.hash !== event.hash);
      if (differs) {
        walk.brokenAt = { seq: event.seq, reason: `differs from the event anchored at ${differs._id}` };
        break;
      }
      walk.intactEnd = { seq: event.seq, hash: event.hash };
      if (event.seq === fingerprintSeq) walk.fingerprintHash = event.hash;
      if (event.seq > firstSignedSeq) walk.eventHours.add(anchorHour(event.at));
      if (event.seq > coveredUpTo && !walk.firstUncovered)
        walk.firstUncovered = { seq: event.seq, at: event.at };
    }
  } finally {
    await cursor.close();
  }
  return { ...walk, verified: checker.verified };
}

/** An intact chain that ends before an anchor reached: events were removed from its end. */
function truncatedEnd(sorted: SortedAnchors, count: number): ChainBreak | null {
  const beyond = sorted.trusted.filter((a) => a.seq > count).sort((a, b) => b.seq - a.seq)[0];
  if (!beyond) return null;
  return {
    seq: count + 1,
    reason: `the log ends at event ${count}, but at ${beyond._id} it reached event ${beyond.seq}: events were removed from its end`,
  };
}

/**
 * With `now`: events whose hour ended over an hour ago but that no signed anchor covers fail
 * (anchors deleted, or the jobs stopped); newer ones, and the hours without an anchor, are notes.
 */
function coverage(
  sorted: SortedAnchors,
  walk: ChainWalk,
  anySigned: boolean,
  now: Date,
): { failures: string[]; notes: string[] } {
  const failures: string[] = [];
  const notes: string[] = [];
  const { firstUncovered, lastSeq } = walk;
  if (firstUncovered && now.getTime() - hourStart(anchorHour(firstUncovered.at)).getTime() >= ANCHOR_DUE_MS) {
    const events = eventRange(firstUncovered.seq, lastSeq);
    failures.push(
      sorted.lastSigned
        ? `${events} (from ${firstUncovered.at.toISOString()}) not covered by any signed anchor: the anchors after ${sorted.lastSigned._id} were deleted, or no sweep has run since`
        : anySigned
          ? `no anchor with a valid signature covers ${events}`
          : `no signed anchor covers ${events}: the log cannot be checked against rewriting until the sweep writes the first one (it runs every 15 minutes)`,
    );
  } else if (firstUncovered) {
    notes.push(
      `${eventRange(firstUncovered.seq, lastSeq)} newer than the latest signed anchor (the next hour's first sweep anchors them)`,
    );
  }
  if (sorted.firstSigned) notes.push(...missingHours(sorted, walk.eventHours, now));
  return { failures, notes };
}

/** Signed anchors that begin well after the first event: what protects the events before them. */
function lateSigningNote(sorted: SortedAnchors, firstEventAt: Date | null): string[] {
  const first = sorted.firstSigned;
  if (!first || !firstEventAt || hourStart(first._id).getTime() - firstEventAt.getTime() <= ANCHOR_DUE_MS)
    return [];
  return [
    `signed anchors begin at ${first._id} (event ${first.seq}); the log goes back to ${firstEventAt.toISOString()}: ` +
      'events before signing began are protected by the digest fingerprints only. If signing began earlier, signed anchors were deleted',
  ];
}

/** A fingerprint from a digest e-mail: the chain must hold that event with that hash prefix. */
function fingerprintCheck(
  fingerprint: Fingerprint,
  walk: ChainWalk,
  brokenAt: ChainBreak | null,
): { failure: string } | { note: string } {
  const { seq, hashPrefix } = fingerprint;
  const fp = `${seq}:${hashPrefix}`;
  const hash = walk.fingerprintHash;
  if (brokenAt && brokenAt.seq <= seq)
    return {
      failure: `fingerprint ${fp} cannot be checked: the chain breaks at event ${brokenAt.seq}, before it`,
    };
  if (hash === null)
    return {
      failure: `fingerprint ${fp} does not match: the log ends at event ${walk.lastSeq}, before event ${seq}`,
    };
  if (!hash.startsWith(hashPrefix))
    return {
      failure: `fingerprint ${fp} does not match: event ${seq} now has hash ${hash.slice(0, hashPrefix.length)}, so the log up to it was rewritten`,
    };
  return { note: `fingerprint ${fp} matches event ${seq}` };
}

/**
 * Checks the whole audit chain, read-only: it never changes an event. The events in sequence
 * order, stopping at the first broken link.
 *
 * Then the anchors (one small document per hour): each signed anchor's signature must verify with
 * the public key, and the chain must still hold every anchored event with the hash it had then.
 * A chain rewritten from an early event on, with every later hash recomputed, no longer matches
 * the signed anchors; anchors recomputed to match it fail their signatures. Events removed from
 * the end show as anchors the chain no longer reaches. With `now`: events whose hour ended over an
 * hour ago but that no signed anchor covers fail (anchors deleted, or the jobs stopped), and the
 * hours since signing began that have no anchor are listed. With a fingerprint from a digest
 * e-mail: the chain must hold that event with that hash, which pins the log up to it even against
 * someone who also holds the signing key.
 */
export async function verifyAuditChain(models: Models, opts: VerifyOptions = {}): Promise<ChainReport> {
  const verifier = opts.publicKey ? anchorVerifier(opts.publicKey) : null;
  const docs = await models.AuditAnchor.find({}).lean<AuditAnchorDoc[]>();
  const sorted = sortAnchors(docs, verifier);
  const failures = [...sorted.failures];
  const notes = [...sorted.notes];
  const walk = await walkChain(models, sorted, opts.fingerprint?.seq);
  const count = walk.brokenAt ? walk.brokenAt.seq - 1 : walk.verified;
  const brokenAt = walk.brokenAt ?? truncatedEnd(sorted, count);
  if (brokenAt) failures.unshift(`event ${brokenAt.seq}: ${brokenAt.reason}`);
  if (opts.now && !brokenAt) {
    const anySigned = docs.some((a) => a.signature !== undefined || a.keyId !== undefined);
    const found = coverage(sorted, walk, anySigned, opts.now);
    failures.push(...found.failures);
    notes.push(...found.notes);
  }
  notes.push(...lateSigningNote(sorted, walk.firstEventAt));
  if (opts.fingerprint) {
    const checked = fingerprintCheck(opts.fingerprint, walk, brokenAt);
    if ('failure' in checked) failures.push(checked.failure);
    else notes.push(checked.note);
  }
  return {
    ok: failures.length === 0,
    count,
    brokenAt,
    anchors: {
      signed: sorted.trusted.filter((a) => a.kind === 'signed').length,
      unsigned: sorted.trusted.filter((a) => a.kind === 'unsigned').length,
    },
    keyId: verifier?.keyId ?? null,
    end: walk.intactEnd,
    failures,
    notes,
  };
}

/**
 * The `audit:verify` check as a command: the log against its signed anchors (with `publicKey`),
 * anchors due by `now`, and a digest fingerprint when given.
 */
export function verifyAudit(
  ctx: Pick<ServiceContext, 'models'>,
  input: { publicKey: KeyObject | null; fingerprint?: Fingerprint; now: Date },
): Promise<ChainReport> {
  return verifyAuditChain(ctx.models, input);
}

/**
 * Hours from the first signed anchor until an hour ago with no anchor, in ranges. An hour after
 * one with events should always have one (the first sweep of the hour writes it): there, a missing
 * anchor was deleted, or no job ran that hour. The events themselves are covered by a later anchor
 * (or the uncovered-events failure says they are not), so these are notes, not failures.
 */
function missingHours(sorted: SortedAnchors, eventHours: Set<string>, now: Date): string[] {
  const present = new Set(sorted.trusted.map((a) => a._id));
  const from = hourStart(sorted.firstSigned!._id).getTime();
  const until = now.getTime() - HOUR_MS;
  const gaps: Array<{ from: string; to: string; afterEvents: number }> = [];
  for (let t = from; t < until; t += HOUR_MS) {
    const hour = anchorHour(new Date(t));
    if (present.has(hour)) continue;
    const afterEvents = eventHours.has(anchorHour(new Date(t - HOUR_MS))) ? 1 : 0;
    const last = gaps.at(-1);
    if (last && hourStart(last.to).getTime() + HOUR_MS === t) {
      last.to = hour;
      last.afterEvents += afterEvents;
    } else gaps.push({ from: hour, to: hour, afterEvents });
  }
  return gaps.map((g) =>
    g.afterEvents > 0
      ? `no anchor for ${hourRange(g.from, g.to)}, though the hour before had events: anchors deleted, or no job ran`
      : `no anchor for ${hourRange(g.from, g.to)} (the app was stopped, no job ran, or the anchors were deleted)`,
  );
}
