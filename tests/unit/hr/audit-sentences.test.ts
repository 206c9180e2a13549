import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_SENTENCES,
  type AuditFacts,
  reminderSentence as reminderIn,
  type SentenceNames,
  auditSentence as sentenceIn,
} from '../../../src/domain/audit-sentences.js';
import { translator } from '../../../src/i18n/translator.js';

// The sentences are catalogue messages: these read them in English, as HR's history shows them
// without a language choice (the German test at the end reads the same events in German).
const auditSentence = (e: AuditFacts, names: SentenceNames = {}) => sentenceIn(e, names, translator('en'));
const reminderSentence = (kind: string) => reminderIn(kind, translator('en'));

const SRC = join(import.meta.dirname, '../../../src');
const ACTION_NAME = /^[a-z][a-z0-9_-]*(?:\.[a-z0-9_-]+)*$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

const literals = (text: string) =>
  [...text.matchAll(/'([^'\n]*)'/g)].map((m) => m[1] ?? '').filter((s) => ACTION_NAME.test(s));

/**
 * The audit actions a source file writes: in a file that appends to the audit log, every quoted
 * name after `action:` up to the next comma (a literal, a ternary, a union type), and the first quoted name
 * passed to a local helper that takes an `action` parameter (`audit(ctx, input, 'scim.group.created', g)`).
 */
function actionsWritten(source: string): string[] {
  if (!/\baudit\.append\(/.test(source)) return [];
  const found = [...source.matchAll(/\baction\??\s*:([^,\n]*)/g)].flatMap((m) => literals(m[1] ?? ''));
  const helpers = [...source.matchAll(/function\s+(\w+)\s*\(([^)]*)\)/g)]
    .filter((m) => /\baction\s*:/.test(m[2] ?? ''))
    .map((m) => m[1] ?? '');
  for (const name of helpers) {
    for (const call of source.matchAll(new RegExp(`\\b${name}\\(([^;]*?)'([^'\\n]*)'`, 'g')))
      if (ACTION_NAME.test(call[2] ?? '')) found.push(call[2] ?? '');
  }
  return found;
}

const written = new Map<string, string>();
for (const file of sourceFiles(SRC)) {
  if (file.endsWith('audit-sentences.ts')) continue;
  for (const action of actionsWritten(readFileSync(file, 'utf8'))) written.set(action, relative(SRC, file));
}

const facts = (action: string, details: Record<string, unknown> = {}, extra: Partial<AuditFacts> = {}) => ({
  action,
  targetType: 'cycle',
  targetId: 'u1:social-media-policy:2',
  subjectId: 'u1',
  details,
  ...extra,
});

describe('audit sentences', () => {
  it('finds the actions the code writes (the scan itself works)', () => {
    expect(written.size).toBeGreaterThanOrEqual(45);
    for (const a of [
      'login.success',
      'attested',
      'person.deactivated',
      'scim.group.created',
      'policy.draft.reverted',
    ])
      expect(written.has(a), a).toBe(true);
    expect(
      actionsWritten(`await ctx.audit.append({ action: flag ? 'a.one' : 'a.two' });
      function note(ctx: X, action: string) {}
      note(ctx, 'a.three');`).sort(),
    ).toEqual(['a.one', 'a.three', 'a.two']);
  });

  it('has a plain sentence for every action written anywhere in src', () => {
    const missing = [...written].filter(([a]) => !(a in AUDIT_SENTENCES)).map(([a, f]) => `${a} (${f})`);
    expect(missing).toEqual([]);
  });

  it('never shows an action code or an id in a sentence', () => {
    for (const action of Object.keys(AUDIT_SENTENCES)) {
      const s = auditSentence(facts(action));
      expect(s.text, action).not.toContain(action);
      expect(s.text, action).not.toMatch(/u1:|undefined|null|NaN|\[object/);
    }
  });

  it('reads like the issue asks', () => {
    expect(auditSentence(facts('login.success', { ip: '1.2.3.4' })).text).toBe('Signed in');
    const started = auditSentence(
      facts('attempt.started', { courseId: 'social-media-policy', n: 1 }, { targetType: 'attempt' }),
    );
    expect(started.text).toBe('Started quiz attempt 1');
    expect(started.link?.href).toBe('/hr/people/u1/courses/social-media-policy/attempts');
    expect(
      auditSentence(facts('attempt.submitted', { courseId: 'c', n: 2, score: 92, passed: true })).text,
    ).toBe('Passed the quiz with 92 % (attempt 2)');
    expect(
      auditSentence(
        facts('attempt.submitted', { courseId: 'c', n: 1, score: 40, passed: false, timedOut: true }),
      ).text,
    ).toBe('Failed quiz attempt 1 with 40 % (time ran out)');
    const attested = auditSentence(
      facts('attested', {
        courseId: 'social-media-policy',
        cycleNo: 2,
        contentVersion: '3f2a9b1c77',
        policyVersion: 3,
      }),
    );
    expect(attested.text).toBe('Attested policy version 3');
    expect(attested.link?.href).toBe('/hr/people/u1/attested/social-media-policy/2');
    const issued = auditSentence(
      facts('certificate.issued', { courseId: 'c' }, { targetType: 'certificate', targetId: 'ABCD-EFGH' }),
    );
    expect(issued.link?.href).toBe('/verify/ABCD-EFGH');
    expect(
      auditSentence(
        facts('assignment.extended', {
          from: '2027-03-01T00:00:00Z',
          to: new Date('2027-03-15T00:00:00Z'),
          reason: 'Leave',
        }),
      ).text,
    ).toBe('Due date moved from 1 March 2027 to 15 March 2027: “Leave”');
    expect(reminderSentence('overdue')).toBe('Reminder sent: overdue');
    const lesson = facts('lesson.viewed', { courseId: 'c', lessonId: 'think' });
    expect(
      auditSentence(lesson, {
        lessonTitle: (c, l) => (c === 'c' && l === 'think' ? 'Think first' : undefined),
      }).text,
    ).toBe('Read the lesson “Think first”');
    expect(auditSentence(lesson).text).toBe('Read a lesson');
  });

  it('names every kind of a reminder event that covered several courses', () => {
    const reminders = (...kinds: string[]) =>
      facts('reminder.sent', {
        reminders: kinds.map((kind, i) => ({ courseId: `c${i}`, kind, day: '2026-03-02' })),
      });
    expect(auditSentence(reminders('overdue')).text).toBe('Reminder sent: overdue');
    expect(auditSentence(reminders('overdue', 'before-due')).text).toBe(
      'Reminders sent for 2 courses: overdue; due soon',
    );
    expect(auditSentence(reminders('overdue', 'overdue', 'escalation')).text).toBe(
      'Reminders sent for 3 courses: overdue; overdue, copied to the manager',
    );
    expect(auditSentence(reminders()).text).toBe('Reminder sent');
  });

  it('says something readable for an action it does not know, without the code', () => {
    expect(auditSentence(facts('made.up')).text).toBe('Something was recorded');
  });

  it('escapes nothing itself and builds links only from encoded parts', () => {
    const s = auditSentence(
      facts('evidence.exported', { courseId: 'a/b', cycleNo: 1 }, { subjectId: 'x y' }),
    );
    expect(s.link?.href).toBe('/hr/people/x%20y/evidence/a%2Fb/1');
  });

  it('reads in the page language, plurals included', () => {
    const de = translator('de');
    const reminders = facts('reminder.sent', {
      reminders: ['overdue', 'before-due'].map((kind, i) => ({ courseId: `c${i}`, kind, day: '2026-03-02' })),
    });
    expect(sentenceIn(reminders, {}, de).text).toBe(
      'Erinnerungen für 2 Kurse gesendet: überfällig; bald fällig',
    );
    expect(sentenceIn(facts('attempts.granted', { courseId: 'c', count: 1 }), {}, de).text).toBe(
      '1 zusätzlicher Quizversuch gewährt',
    );
    expect(
      sentenceIn(
        facts('assignment.extended', { from: '2027-03-01T00:00:00Z', to: '2027-03-15T00:00:00Z' }),
        {},
        translator('es'),
      ).text,
    ).toBe('Fecha límite cambiada del 1 de marzo de 2027 al 15 de marzo de 2027');
    for (const action of Object.keys(AUDIT_SENTENCES))
      expect(
        sentenceIn(facts(action), {}, translator('ar')).text.replaceAll('SCORM', ''),
        action,
      ).not.toMatch(/[A-Za-z]{4}/);
  });
});
