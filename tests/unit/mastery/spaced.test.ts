import { describe, expect, it } from 'vitest';
import type { Course } from '../../../src/domain/course.js';
import {
  practiceItems,
  SPACED_CLAUSE_COUNT,
  spacedRefresherDue,
} from '../../../src/domain/mastery/spaced.js';

const completed = new Date('2026-01-10T15:30:00Z');

describe('spacedRefresherDue', () => {
  it('is off without a cadence or a completion', () => {
    expect(
      spacedRefresherDue({ completedAt: completed, everyMonths: 0 }, new Date('2026-04-10T09:00:00Z')),
    ).toBe(null);
    expect(spacedRefresherDue({ completedAt: null, everyMonths: 3 }, new Date('2026-04-10T09:00:00Z'))).toBe(
      null,
    );
  });

  it('falls every N months after the completion day, keyed on its own day', () => {
    const every = { completedAt: completed, everyMonths: 3 };
    expect(spacedRefresherDue(every, new Date('2026-04-09T23:00:00Z'))).toBe(null);
    expect(spacedRefresherDue(every, new Date('2026-04-10T00:05:00Z'))).toEqual({ n: 1, day: '2026-04-10' });
    expect(spacedRefresherDue(every, new Date('2026-04-12T08:00:00Z'))).toEqual({ n: 1, day: '2026-04-10' });
    expect(spacedRefresherDue(every, new Date('2026-07-10T08:00:00Z'))).toEqual({ n: 2, day: '2026-07-10' });
  });

  it('a missed one is caught up for two days like a reminder, then waits for the next', () => {
    const every = { completedAt: completed, everyMonths: 3 };
    expect(spacedRefresherDue(every, new Date('2026-04-13T08:00:00Z'))).toBe(null);
    expect(spacedRefresherDue(every, new Date('2026-05-20T08:00:00Z'))).toBe(null);
  });
});

const clause = (id: string) => ({ id, title: `Clause ${id}`, text: '' });
const option = (id: string, correct: boolean) => ({ id, text: id, correct, feedback: '' });
const course = {
  id: 'c',
  clauses: [clause('A'), clause('B'), clause('C')],
  examples: [
    { id: 'ex-a', clauses: ['A'] },
    { id: 'ex-ab', clauses: ['A', 'B'] },
  ],
  questions: [
    { id: 'q-a', type: 'single', clauses: ['A'], options: [option('x', true), option('y', false)] },
    { id: 'q-b', type: 'truefalse', clauses: ['B'], options: [option('t', true), option('f', false)] },
    { id: 'q-c-spot', type: 'spot', clauses: ['C'], segments: [] },
    { id: 'q-c', type: 'multiple', clauses: ['C'], options: [option('m', true), option('n', false)] },
  ],
} as unknown as Course;

describe('practiceItems', () => {
  it('draws, per clause in order, one example and one choice question about it', () => {
    const items = practiceItems(course, ['A', 'B', 'C'], 'seed-1');
    expect(items.map((i) => i.clauseId)).toEqual(['A', 'A', 'B', 'B', 'C']);
    for (const item of items) {
      const source =
        item.kind === 'example'
          ? course.examples.find((e) => e.id === item.id)
          : course.questions.find((q) => q.id === item.id);
      expect(source?.clauses).toContain(item.clauseId);
    }
    expect(items.find((i) => i.clauseId === 'C')).toEqual({ kind: 'question', id: 'q-c', clauseId: 'C' });
  });

  it('never draws the same item twice in one practice', () => {
    const items = practiceItems(course, ['B', 'A'], 'seed-2');
    expect(new Set(items.map((i) => `${i.kind}:${i.id}`)).size).toBe(items.length);
  });

  it('is the same for the same seed', () => {
    expect(practiceItems(course, ['A', 'B'], 's')).toEqual(practiceItems(course, ['A', 'B'], 's'));
  });

  it('picks two or three clauses', () => {
    expect(SPACED_CLAUSE_COUNT).toBeGreaterThanOrEqual(2);
    expect(SPACED_CLAUSE_COUNT).toBeLessThanOrEqual(3);
  });
});
