import { describe, expect, it } from 'vitest';
import type { ChangeKind, ClauseChange } from '../../../src/domain/policy-version.js';
import {
  attestedVersions,
  type PublishedChanges,
  versionLine,
  versionsSince,
  whatChanged,
} from '../../../src/domain/reattestation.js';

const wording = (title: string, text: string) => ({ title, summary: `${title} in short`, text });

function change(clauseId: string, kind: ChangeKind, before: string, after: string): ClauseChange {
  return { clauseId, kind, before: wording(clauseId, before), after: wording(clauseId, after) };
}

function version(n: number, ...changes: ClauseChange[]): PublishedChanges {
  return { n, note: `note ${n}`, publishedAt: new Date(`2026-0${n}-01T00:00:00Z`), changes };
}

describe('what changed since the version a learner attested', () => {
  it('lists the versions not attested', () => {
    expect(versionsSince(1, 3)).toEqual([2, 3]);
    expect(versionsSince(3, 3)).toEqual([]);
  });

  it('splits required reading from minor lines', () => {
    const w = whatChanged(
      [version(2, change('A', 're-attest', 'a1', 'a2'), change('B', 'minor', 'b1', 'b2'))],
      1,
    );
    expect(w).toMatchObject({ fromVersion: 1, toVersion: 2, notes: [{ n: 2, note: 'note 2' }] });
    expect(w.required).toEqual([
      { clauseId: 'A', kind: 're-attest', versions: [2], before: wording('A', 'a1') },
    ]);
    expect(w.minor).toEqual([{ clauseId: 'B', title: 'B', versions: [2] }]);
  });

  it('shows every version published since, in order, whatever order they are read in', () => {
    const w = whatChanged(
      [
        version(4, change('C', 'retrain', 'c1', 'c2')),
        version(2, change('A', 'minor', 'a1', 'a2')),
        version(3, change('A', 're-attest', 'a2', 'a3'), change('B', 'minor', 'b1', 'b2')),
        version(1, change('Z', 're-attest', 'z0', 'z1')),
      ],
      1,
    );
    expect(w.notes.map((n) => n.n)).toEqual([2, 3, 4]);
    expect(w.toVersion).toBe(4);
    // A clause changed as minor, then as re-attest, is required reading against the wording attested.
    expect(w.required).toEqual([
      { clauseId: 'A', kind: 're-attest', versions: [2, 3], before: wording('A', 'a1') },
      { clauseId: 'C', kind: 'retrain', versions: [4], before: wording('C', 'c1') },
    ]);
    expect(w.minor).toEqual([{ clauseId: 'B', title: 'B', versions: [3] }]);
  });

  it('keeps a clause required once a version asked for it, and the strongest kind', () => {
    const w = whatChanged(
      [
        version(2, change('A', 'retrain', 'a1', 'a2')),
        version(3, change('A', 'minor', 'a2', 'a3')),
        version(4, change('A', 're-attest', 'a3', 'a4')),
      ],
      1,
    );
    expect(w.required).toEqual([
      { clauseId: 'A', kind: 'retrain', versions: [2, 3, 4], before: wording('A', 'a1') },
    ]);
    expect(w.minor).toEqual([]);
  });

  it('has nothing to show when no version was published since', () => {
    expect(whatChanged([version(2, change('A', 're-attest', 'a1', 'a2'))], 2)).toEqual({
      fromVersion: 2,
      toVersion: 2,
      notes: [],
      required: [],
      minor: [],
    });
  });
});

describe('the version line of an attestation or certificate', () => {
  it('names the version, and for a re-attestation the version it replaced', () => {
    expect(versionLine({ policyVersion: 1, replacesVersion: null })).toBe('Policy version 1');
    expect(versionLine({ policyVersion: 2, replacesVersion: 1 })).toBe(
      'Policy: re-attested version 2, replacing version 1',
    );
    // A refresher of the same version is not a re-attestation of a new one.
    expect(versionLine({ policyVersion: 2, replacesVersion: 2 })).toBe('Policy version 2');
  });

  it('reads a record stored before versions were recorded as version 1', () => {
    expect(attestedVersions({})).toEqual({
      policyVersion: 1,
      replacesVersion: null,
      replacesContentVersion: null,
    });
    expect(versionLine({})).toBe('Policy version 1');
  });
});
