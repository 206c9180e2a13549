import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clauseMemoryKey, masterySnapshotKey } from '../../src/db/keys.js';
import type { ClauseMemoryDoc, MasterySnapshotDoc } from '../../src/db/models/mastery.js';
import type { RefresherRecord } from '../../src/db/models/training.js';
import { type ClauseReview, memoryFrom, recall } from '../../src/domain/mastery/memory.js';
import {
  buildAssignment,
  buildAttemptResult,
  buildClassificationAnswer,
  buildCycle,
  buildPerson,
  COURSE_ID,
} from '../factories.js';
import { signIn } from '../helpers/actors.js';
import { createTestApp, createUser, type TestApp } from '../helpers/app.js';

// HR's knowledge page end to end: clause memories and decided refresher cycles written straight
// to the database, the nightly job (at pinned times) storing the quarter's MasterySnapshot, and
// HR reading /hr/courses/:courseId/knowledge (table, heatmap, four-quarter change, tested out vs studied).
let t: TestApp;
const NOW = new Date('2026-05-20T09:00:00Z'); // 2026-Q2
const LAST_QUARTER = new Date('2026-03-10T00:00:00Z'); // 2026-Q1

const review = (eventId: string, clauseId: string, at: string, score: number): ClauseReview => ({
  eventId,
  clauseId,
  at: new Date(at),
  score,
  source: 'quiz',
});

/** Three learners: two in Sales (one strong, one weak on SMP-02), one in Engineering. */
const HISTORIES: Array<{ department: string; reviews: ClauseReview[] }> = [
  {
    department: 'Sales',
    reviews: [
      review('q1', 'SMP-01', '2026-01-10T10:00:00Z', 1),
      review('q1', 'SMP-02', '2026-01-10T10:00:00Z', 1),
      review('q2', 'SMP-01', '2026-04-02T10:00:00Z', 1),
    ],
  },
  {
    department: 'Sales',
    reviews: [
      review('q3', 'SMP-01', '2026-02-01T10:00:00Z', 1),
      review('q3', 'SMP-02', '2026-02-01T10:00:00Z', 0),
    ],
  },
  { department: 'Engineering', reviews: [review('q4', 'SMP-01', '2026-05-01T10:00:00Z', 0.6)] },
];

const decided = (testedOut: string[], study: string[], at: Date): RefresherRecord => ({
  status: 'decided',
  pretestAttemptId: 'some-cycle:pretest',
  changed: [],
  testedOut,
  study,
  decidedAt: at,
});

async function writeMemories(): Promise<ClauseMemoryDoc[]> {
  const docs = HISTORIES.map((h) => {
    const person = buildPerson({ department: h.department });
    return {
      _id: clauseMemoryKey(person._id, COURSE_ID),
      userId: person._id,
      courseId: COURSE_ID,
      department: h.department,
      clauses: memoryFrom(h.reviews),
      applied: [...new Set(h.reviews.map((r) => r.eventId))],
      updatedAt: NOW,
    };
  });
  await t.app.db.models.ClauseMemory.insertMany(docs);
  // Counted: people with an active assignment of the course (in the department it copies).
  await t.app.db.models.Assignment.insertMany(
    docs.map((d) => buildAssignment({ ...buildPerson(), _id: d.userId }, { department: d.department })),
  );
  return docs;
}

async function writeRefreshers(): Promise<void> {
  const cycles = [
    buildCycle(buildPerson(), 2, { refresher: decided(['SMP-01', 'SMP-02'], ['SMP-03'], NOW) }),
    buildCycle(buildPerson(), 2, { refresher: decided(['SMP-01'], ['SMP-02', 'SMP-03'], NOW) }),
    buildCycle(buildPerson(), 2, { refresher: decided(['SMP-01'], ['SMP-03'], LAST_QUARTER) }),
    // Pending (no pre-assessment graded yet) and first cycles count for nothing.
    buildCycle(buildPerson(), 2, {
      refresher: { ...decided([], [], NOW), status: 'pending', decidedAt: null },
    }),
    buildCycle(buildPerson(), 1),
  ];
  await t.app.db.models.Cycle.insertMany(cycles);
}

let memories: ClauseMemoryDoc[];

/**
 * One Operations learner's stored history (no ClauseMemory summary): a quiz in November 2025 (all
 * of SMP-04 right, half of SMP-05), a wrong example answer on SMP-04 in March 2026 (after 2025-Q4
 * ends), so the 2025-Q4 backfill replays only the quiz.
 */
async function writeHistory(): Promise<ClauseReview[]> {
  const person = buildPerson({ department: 'Operations' });
  const cycle = buildCycle(person, 1);
  const at = new Date('2025-11-12T10:00:00Z');
  const result = buildAttemptResult(cycle, 1, {
    clauses: { 'SMP-04': { correct: 2, total: 2 }, 'SMP-05': { correct: 1, total: 2 } },
    submittedAt: at,
    receivedAt: at,
  });
  await t.app.db.models.Assignment.insertMany([buildAssignment(person, { department: 'Operations' })]);
  await t.app.db.models.AttemptResult.insertMany([result]);
  await t.app.db.models.ClassificationAnswer.insertMany([
    buildClassificationAnswer(person, 'any-example', { clauses: ['SMP-04'], at: LAST_QUARTER }),
  ]);
  return [
    review(`attempt:${result._id}`, 'SMP-04', at.toISOString(), 1),
    review(`attempt:${result._id}`, 'SMP-05', at.toISOString(), 0.5),
  ];
}
let history: ClauseReview[];

/** The cells' texts (tags stripped, empty ones dropped) of the row naming `clauseId` in the table `tableId`. */
function rowText(html: string, tableId: string, clauseId: string): string[] {
  const table = html.slice(html.indexOf(`id="${tableId}"`));
  const body = table.slice(0, table.indexOf('</table>'));
  const row = body.split('<tr>').find((r) => r.includes(`<code>${clauseId}</code>`)) ?? '';
  return row
    .split(/<\/t[hd]>/)
    .map((cell) =>
      cell
        .replace(/<code>[^<]*<\/code>/, '')
        .replace(/<[^>]+>/g, '')
        .trim(),
    )
    .filter((text) => /^\d+$/.test(text));
}

beforeAll(async () => {
  t = await createTestApp({ label: 'knowledge', seed: false });
  t.clock.set(NOW);
  await createUser(t.app, { email: 'hr@knowledge.test', role: 'hr' });
  await createUser(t.app, { email: 'learner@knowledge.test' });
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('HR knowledge page', () => {
  it('says plainly that there are no figures before the nightly job ran', async () => {
    const hr = await signIn(t.app, 'hr@knowledge.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/knowledge`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No figures yet');
  });

  it("stores the current quarter's snapshot at the nightly run: recall at that instant per department and clause", async () => {
    memories = await writeMemories();
    history = await writeHistory();
    await writeRefreshers();
    const report = await t.app.services.jobs.runNightly({ now: NOW });
    expect(report.ran).toBe(true);
    const snap = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE_ID, '2026-Q2'),
    ).lean<MasterySnapshotDoc>();
    expect(snap).not.toBeNull();
    expect(snap!.asOf).toEqual(NOW);
    const r = (i: number, clause: string) => recall(memories[i]!.clauses[clause], NOW);
    expect(snap!.cells.Sales!['SMP-01']!.learners).toBe(2);
    expect(snap!.cells.Sales!['SMP-01']!.recallSum).toBeCloseTo(r(0, 'SMP-01') + r(1, 'SMP-01'), 10);
    expect(snap!.cells.Sales!['SMP-02']!.recallSum).toBeCloseTo(r(0, 'SMP-02') + r(1, 'SMP-02'), 10);
    expect(snap!.cells.Engineering!['SMP-01']).toEqual({
      learners: 1,
      recallSum: expect.closeTo(r(2, 'SMP-01'), 10),
    });
    // Refreshers decided in the quarter only; the Q1 one belongs to Q1's snapshot.
    expect(snap!.refreshers).toEqual({
      'SMP-01': { testedOut: 2, studied: 0, changed: 0 },
      'SMP-02': { testedOut: 1, studied: 1, changed: 0 },
      'SMP-03': { testedOut: 0, studied: 2, changed: 0 },
    });
  });

  it('backfills the missing past quarters by replaying history up to each quarter end', async () => {
    const q4 = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE_ID, '2025-Q4'),
    ).lean<MasterySnapshotDoc>();
    const end = new Date('2026-01-01T00:00:00Z');
    expect(q4!.asOf).toEqual(end);
    const replayed = memoryFrom(history);
    expect(q4!.cells).toEqual({
      Operations: {
        'SMP-04': { learners: 1, recallSum: expect.closeTo(recall(replayed['SMP-04'], end), 10) },
        'SMP-05': { learners: 1, recallSum: expect.closeTo(recall(replayed['SMP-05'], end), 10) },
      },
    });
    // Before the quiz: stored, with nobody counted.
    const q3 = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE_ID, '2025-Q3'),
    ).lean<MasterySnapshotDoc>();
    expect(q3!.cells).toEqual({});
    // 2026-Q1 also replays the wrong example answer of March.
    const q1 = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE_ID, '2026-Q1'),
    ).lean<MasterySnapshotDoc>();
    const q1End = new Date('2026-04-01T00:00:00Z');
    const withExample = memoryFrom([
      ...history,
      { ...review('example', 'SMP-04', LAST_QUARTER.toISOString(), 0), source: 'example' },
    ]);
    expect(q1!.cells.Operations!['SMP-04']!.recallSum).toBeCloseTo(recall(withExample['SMP-04'], q1End), 10);
    expect(recall(withExample['SMP-04'], q1End)).not.toBeCloseTo(recall(replayed['SMP-04'], q1End), 3);
  });

  it('shows the table with the numbers, an accessible heatmap, the four quarters and tested out vs studied', async () => {
    const hr = await signIn(t.app, 'hr@knowledge.test');
    const page = await hr.get(`/hr/courses/${COURSE_ID}/knowledge`);
    expect(page.statusCode).toBe(200);
    const html = page.body;
    // The figure: an image with a name and a description, pointing at the table with the numbers.
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="heatmap-title heatmap-desc"/);
    expect(html).toMatch(/<title id="heatmap-title">[^<]+<\/title>/);
    expect(html).toMatch(/<desc id="heatmap-desc">[^<]+<\/desc>/);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const sales01 =
      (recall(memories[0]!.clauses['SMP-01'], NOW) + recall(memories[1]!.clauses['SMP-01'], NOW)) / 2;
    const table = html.slice(html.indexOf('id="knowledge-table"'));
    expect(table).toContain(pct(sales01));
    expect(table).toContain('Engineering');
    expect(html).toContain('2025-Q3');
    expect(html).toContain('2026-Q2');
    // Over the four quarters: the 2026-Q1 refresher counts in the quarter it was decided in.
    expect(rowText(html, 'tested-out', 'SMP-01')).toEqual(['3', '3']);
    expect(rowText(html, 'studied', 'SMP-03')).toEqual(['3', '3']);
    expect(rowText(html, 'studied', 'SMP-02')).toEqual(['1', '2']);
  });

  it('rewrites the current quarter on a later night and keeps the change from the quarter before', async () => {
    const later = new Date('2026-06-10T09:00:00Z');
    const q1Cells = { Sales: { 'SMP-01': { learners: 4, recallSum: 2 } } };
    await t.app.db.models.MasterySnapshot.updateOne(
      { _id: masterySnapshotKey(COURSE_ID, '2026-Q1') },
      {
        $set: {
          courseId: COURSE_ID,
          quarter: '2026-Q1',
          asOf: new Date('2026-04-01T00:00:00Z'),
          cells: q1Cells,
          refreshers: {},
          updatedAt: NOW,
        },
      },
      { upsert: true },
    );
    const report = await t.app.services.jobs.runNightly({ now: later });
    expect(report.ran).toBe(true);
    const snap = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE_ID, '2026-Q2'),
    ).lean<MasterySnapshotDoc>();
    expect(snap!.asOf).toEqual(later);
    const q1 = await t.app.db.models.MasterySnapshot.findById(
      masterySnapshotKey(COURSE_ID, '2026-Q1'),
    ).lean<MasterySnapshotDoc>();
    // A stored past quarter keeps its cells; its refresher counts are recounted from the cycles.
    expect(q1!.cells).toEqual(q1Cells);
    expect(q1!.refreshers).toEqual({
      'SMP-01': { testedOut: 1, studied: 0, changed: 0 },
      'SMP-03': { testedOut: 0, studied: 1, changed: 0 },
    });
    t.clock.set(later);
    const hr = await signIn(t.app, 'hr@knowledge.test');
    const html = (await hr.get(`/hr/courses/${COURSE_ID}/knowledge`)).body;
    const change = html.slice(html.indexOf('id="quarter-change"'));
    expect(change).toContain('50%'); // SMP-01 in 2026-Q1
  });

  it('is for HR and admins only, and a 404 for an unknown course', async () => {
    const learner = await signIn(t.app, 'learner@knowledge.test');
    expect((await learner.get(`/hr/courses/${COURSE_ID}/knowledge`)).statusCode).toBe(403);
    const hr = await signIn(t.app, 'hr@knowledge.test');
    expect((await hr.get('/hr/courses/no-such-course/knowledge')).statusCode).toBe(404);
  });

  it('counts only people still active with an active assignment, in their current department (review fix 2)', async () => {
    const hrUser = (await t.app.db.models.User.findOne({ email: 'hr@knowledge.test' }).lean())!;
    const people = [];
    for (const name of ['legal-a', 'legal-b', 'legal-c']) {
      const p = await createUser(t.app, { email: `${name}@knowledge.test`, department: 'Legal' });
      await t.app.db.models.Assignment.insertMany([buildAssignment(p, { department: 'Legal' })]);
      const reviews = [review(`q-${name}`, 'SMP-07', '2026-06-01T10:00:00Z', 1)];
      await t.app.services.learning.recordClauseReviews({
        userId: p._id,
        courseId: COURSE_ID,
        eventId: reviews[0]!.eventId,
        reviews,
        now: NOW,
      });
      people.push(p);
    }
    const cell = async (day: string, department: string) => {
      const report = await t.app.services.jobs.runNightly({ now: new Date(day) });
      expect(report.ran).toBe(true);
      const snap = await t.app.db.models.MasterySnapshot.findById(
        masterySnapshotKey(COURSE_ID, '2026-Q2'),
      ).lean<MasterySnapshotDoc>();
      return snap!.cells[department]?.['SMP-07']?.learners ?? 0;
    };
    expect(await cell('2026-06-11T09:00:00Z', 'Legal')).toBe(3);
    const now = new Date('2026-06-11T12:00:00Z');
    await t.app.services.people.updatePerson({
      userId: people[0]!._id,
      changes: { active: false },
      actorId: hrUser._id,
      now,
    });
    await t.app.services.people.updatePerson({
      userId: people[1]!._id,
      changes: { department: 'Finance' },
      actorId: hrUser._id,
      now,
    });
    expect(await cell('2026-06-12T09:00:00Z', 'Legal')).toBe(1);
    expect(await cell('2026-06-13T09:00:00Z', 'Finance')).toBe(1);
  });
});
