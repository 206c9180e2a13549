import { describe, expect, it } from 'vitest';
import {
  approvalDueDate,
  type BaselineClause,
  buildNextVersion,
  CLAUSE_LIMITS,
  canApprove,
  clauseEditProblems,
  defaultDueDate,
  noteProblems,
  type PolicyDraft,
  publishedWording,
  renewalFor,
  strongestKind,
  withEdit,
  withoutEdit,
} from '../../../src/domain/policy-draft.js';
import { translator } from '../../../src/i18n/translator.js';

/** The rules give catalogue keys and values: the errors as an English reader sees them. */
const english = (errors: { field: string; message: string; values?: Record<string, string | number> }[]) =>
  errors.map(({ field, message, values }) => ({ field, message: translator('en').t(message, values) }));

const KNOWN = ['org.name', 'contact.comms'];
const baseline: BaselineClause[] = [
  { id: 'SMP-01', number: '1', title: 'Scope', summary: 'Covers {{org.name}}.', text: 'All staff.' },
  { id: 'SMP-02', number: '2', title: 'Media', summary: 'Ask first.', text: 'Ask {{contact.comms}}.' },
];
const now = new Date('2027-01-10T09:00:00Z');
const emptyDraft = (over: Partial<PolicyDraft> = {}): PolicyDraft => ({
  basedOn: 1,
  edits: {},
  note: '',
  editors: [],
  submittedAt: null,
  submittedBy: null,
  ...over,
});

describe('clause edit validation', () => {
  const published = publishedWording(baseline, {});
  const edit = (wording: Partial<{ title: string; summary: string; text: string }>, clauseId = 'SMP-01') => ({
    clauseId,
    wording: {
      title: 'Scope',
      summary: 'Covers {{org.name}}.',
      text: 'All staff, contractors too.',
      ...wording,
    },
  });

  it('accepts a real change that uses known placeholders', () => {
    expect(clauseEditProblems(edit({ text: 'Everyone at {{ org.name }}.' }), published, KNOWN)).toEqual([]);
  });

  it('names each unknown placeholder in the field that holds it', () => {
    const errors = english(
      clauseEditProblems(edit({ text: 'Ask {{org.ceo}} or {{contact.legal}}.' }), published, KNOWN),
    );
    expect(errors).toEqual([
      { field: 'text', message: expect.stringContaining('{{org.ceo}}, {{contact.legal}}') },
    ]);
    expect(errors[0]!.message).toContain('{{org.name}}');
  });

  it('refuses empty (blank) and oversized fields', () => {
    const errors = english(
      clauseEditProblems(edit({ title: '   ', text: 'x'.repeat(CLAUSE_LIMITS.text + 1) }), published, KNOWN),
    );
    expect(errors.map((e) => e.field)).toEqual(['title', 'text']);
    expect(errors[0]!.message).toMatch(/Enter/);
    expect(errors[1]!.message).toContain(String(CLAUSE_LIMITS.text));
  });

  it('refuses an edit identical to the published wording (after trimming) and an unknown clause', () => {
    const same = english(
      clauseEditProblems(
        {
          clauseId: 'SMP-02',
          wording: { title: 'Media ', summary: 'Ask first.', text: 'Ask {{contact.comms}}.' },
        },
        published,
        KNOWN,
      ),
    );
    expect(same).toEqual([{ field: 'text', message: expect.stringContaining('same as the published') }]);
    expect(english(clauseEditProblems(edit({}, 'SMP-99'), published, KNOWN))).toEqual([
      { field: 'clauseId', message: expect.stringContaining('no clause') },
    ]);
  });
});

describe('the draft', () => {
  it('records every editor once and reopens a submitted draft on a new edit', () => {
    const wording = { title: 'Scope', summary: 's', text: 't' };
    const a = withEdit(emptyDraft({ submittedAt: now, submittedBy: 'hr1' }), {
      clauseId: 'SMP-01',
      wording,
      kind: 're-attest',
      editorId: 'hr1',
    });
    const b = withEdit(a, { clauseId: 'SMP-02', wording, kind: 'minor', editorId: 'hr2' });
    const c = withEdit(b, { clauseId: 'SMP-02', wording, kind: 'retrain', editorId: 'hr1' });
    expect(c.editors).toEqual(['hr1', 'hr2']);
    expect(c.submittedAt).toBeNull();
    expect(c.edits['SMP-02']!.kind).toBe('retrain');
    const d = withoutEdit(c, { clauseId: 'SMP-01', editorId: 'hr3' });
    expect(Object.keys(d.edits)).toEqual(['SMP-02']);
    expect(d.editors).toEqual(['hr1', 'hr2', 'hr3']);
  });

  it('the strongest change kind decides the renewal', () => {
    expect(strongestKind(['minor', 'minor'])).toBe('minor');
    expect(strongestKind(['minor', 're-attest'])).toBe('re-attest');
    expect(strongestKind(['re-attest', 'retrain', 'minor'])).toBe('retrain');
    expect(strongestKind([])).toBeNull();
    expect(renewalFor('retrain')).toBe('full');
    expect(renewalFor('re-attest')).toBe('attest-only');
    expect(renewalFor('minor')).toBeNull();
    expect(renewalFor(null)).toBeNull();
  });

  it('only a submitted draft, approved by an admin who did not edit it', () => {
    const draft = emptyDraft({
      edits: { 'SMP-01': { wording: { title: 'a', summary: 'b', text: 'c' }, kind: 'minor' } },
      editors: ['admin1', 'hr1'],
      submittedAt: now,
      submittedBy: 'hr1',
    });
    expect(canApprove(draft, { id: 'admin2', role: 'admin' })).toEqual({ ok: true });
    expect(canApprove(draft, { id: 'hr2', role: 'hr' })).toMatchObject({ ok: false, reason: 'role' });
    const own = canApprove(draft, { id: 'admin1', role: 'admin' });
    expect(own).toMatchObject({ ok: false, reason: 'editor' });
    expect(!own.ok && translator('en').t(own.message)).toContain('another admin');
    expect(canApprove({ ...draft, submittedAt: null }, { id: 'admin2', role: 'admin' })).toMatchObject({
      ok: false,
      reason: 'not-submitted',
    });
    expect(canApprove({ ...draft, edits: {} }, { id: 'admin2', role: 'admin' })).toMatchObject({
      ok: false,
      reason: 'empty',
    });
  });

  it('the default due date is 14 days after now, at UTC midnight', () => {
    expect(defaultDueDate(now).toISOString()).toBe('2027-01-24T00:00:00.000Z');
  });

  it("reads the approver's due date: empty is the default, a past or malformed date is refused", () => {
    expect(approvalDueDate('', now)).toEqual({ dueAt: defaultDueDate(now) });
    expect(approvalDueDate('2027-01-10', now)).toEqual({ dueAt: new Date('2027-01-10T00:00:00Z') });
    for (const bad of ['2027-01-09', '2027-02-30', 'soon'])
      expect(approvalDueDate(bad, now)).toEqual({
        errors: [{ field: 'dueDate', message: expect.any(String) }],
      });
  });

  it('needs a change note of bounded length', () => {
    expect(noteProblems('Clause 5 tightened')).toEqual([]);
    expect(noteProblems('  ')[0]!.field).toBe('note');
    expect(english(noteProblems('x'.repeat(1001)))[0]!.message).toContain('1000');
  });
});

describe('building the next version', () => {
  it('makes the overlay cumulative, drops wordings back to the files, and lists changes in clause order', () => {
    const published = {
      n: 2,
      overlay: { 'SMP-01': { title: 'Scope', summary: 'Covers {{org.name}}.', text: 'All staff (v2).' } },
    };
    const draft = emptyDraft({
      basedOn: 2,
      edits: {
        'SMP-02': {
          wording: { title: 'Media', summary: 'Ask first.', text: 'Ask comms.' },
          kind: 're-attest',
        },
        // Back to the course files' wording: no longer part of the overlay.
        'SMP-01': {
          wording: { title: 'Scope', summary: 'Covers {{org.name}}.', text: 'All staff.' },
          kind: 'minor',
        },
      },
    });
    const next = buildNextVersion(baseline, published, draft);
    expect(next.n).toBe(3);
    expect(next.overlay).toEqual({
      'SMP-02': { title: 'Media', summary: 'Ask first.', text: 'Ask comms.' },
    });
    expect(next.changes.map((c) => [c.clauseId, c.kind, c.before.text, c.after.text])).toEqual([
      ['SMP-01', 'minor', 'All staff (v2).', 'All staff.'],
      ['SMP-02', 're-attest', 'Ask {{contact.comms}}.', 'Ask comms.'],
    ]);
    expect(next.strongest).toBe('re-attest');
  });

  it('trims the wording it stores', () => {
    const draft = emptyDraft({
      edits: {
        'SMP-02': { wording: { title: ' Media ', summary: 'Ask.', text: ' Ask comms. \n' }, kind: 'minor' },
      },
    });
    expect(buildNextVersion(baseline, { n: 1, overlay: {} }, draft).overlay['SMP-02']).toEqual({
      title: 'Media',
      summary: 'Ask.',
      text: 'Ask comms.',
    });
  });
});
