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
import { type ChainBreak, type ChainedEvent, chainChecker } from '../../domain/audit-chain.js';

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

/**
 * Walks the whole audit chain in sequence (`_id`) order with a cursor, so memory stays flat however
 * long the log is, and stops at the first broken link. Read-only: it never changes an event.
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
  const anchoredAt = new Map<number, Anchor[]>();
  for (const a of sorted.trusted) anchoredAt.set(a.seq, [...(anchoredAt.get(a.seq) ?? []), a]);
  const firstSignedSeq = sorted.firstSigned?.seq ?? Number.POSITIVE_INFINITY;
  const coveredUpTo = sorted.lastSigned?.seq ?? 0;

  const checker = chainChecker();
  let brokenAt: ChainBreak | null = null;
  let lastSeq = 0;
  /** Hours (by event time) that had events after the first signed anchor. */
  const eventHours = new Set<string>();
  let firstUncovered: { seq: number; at: Date } | null = null;
  let fingerprintHash: string | null = null;
  let firstEventAt: Date | null = null;
  const cursor = models.AuditEvent.find({}).sort({ _id: 1 }).lean<AuditEventDoc[]>().cursor();
  try {
    for await (const doc of cursor) {
      const event = doc as AuditEventDoc;
      lastSeq = event.seq;
      firstEventAt ??= event.at;
      const link = checker.check(toChainedEvent(event));
      if (link) {
        brokenAt = link;
        break;
      }
      const differs = (anchoredAt.get(event.seq) ?? []).find((a) => a.hash !== event.hash);
      if (differs) {
        brokenAt = { seq: event.seq, reason: `differs from the event anchored at ${differs._id}` };
        break;
      }
      if (event.seq === opts.fingerprint?.seq) fingerprintHash = event.hash;
      if (event.seq > firstSignedSeq) eventHours.add(anchorHour(event.at));
      if (event.seq > coveredUpTo && !firstUncovered) firstUncovered = { seq: event.seq, at: event.at };
    }
  } finally {
    await cursor.close();
  }
  const count = brokenAt ? brokenAt.seq - 1 : checker.verified;
  if (brokenAt) failures.unshift(`event ${brokenAt.seq}: ${brokenAt.reason}`);
  else {
    const beyond = sorted.trusted.filter((a) => a.seq > count).sort((a, b) => b.seq - a.seq)[0];
    if (beyond) {
      brokenAt = {
        seq: count + 1,
        reason: `the log ends at event ${count}, but at ${beyond._id} it reached event ${beyond.seq}: events were removed from its end`,
      };
      failures.unshift(`event ${brokenAt.seq}: ${brokenAt.reason}`);
    }
  }

  if (opts.now && !brokenAt) {
    const now = opts.now;
    if (
      firstUncovered &&
      now.getTime() - hourStart(anchorHour(firstUncovered.at)).getTime() >= ANCHOR_DUE_MS
    ) {
      const events = eventRange(firstUncovered.seq, lastSeq);
      const anySigned = docs.some((a) => a.signature !== undefined || a.keyId !== undefined);
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
    if (sorted.firstSigned) notes.push(...missingHours(sorted, eventHours, now));
  }

  const first = sorted.firstSigned;
  if (first && firstEventAt && hourStart(first._id).getTime() - firstEventAt.getTime() > ANCHOR_DUE_MS)
    notes.push(
      `signed anchors begin at ${first._id} (event ${first.seq}); the log goes back to ${firstEventAt.toISOString()}: ` +
        'events before signing began are protected by the digest fingerprints only. If signing began earlier, signed anchors were deleted',
    );

  if (opts.fingerprint) {
    const { seq, hashPrefix } = opts.fingerprint;
    const fp = `${seq}:${hashPrefix}`;
    if (brokenAt && brokenAt.seq <= seq)
      failures.push(
        `fingerprint ${fp} cannot be checked: the chain breaks at event ${brokenAt.seq}, before it`,
      );
    else if (fingerprintHash === null)
      failures.push(
        `fingerprint ${fp} does not match: the log ends at event ${lastSeq}, before event ${seq}`,
      );
    else if (!fingerprintHash.startsWith(hashPrefix))
      failures.push(
        `fingerprint ${fp} does not match: event ${seq} now has hash ${fingerprintHash.slice(0, hashPrefix.length)}, so the log up to it was rewritten`,
      );
    else notes.push(`fingerprint ${fp} matches event ${seq}`);
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
    failures,
    notes,
  };
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
