import { stringify } from 'csv-stringify/sync';
import { driverCollection } from '../../db/driver-collection.js';
import { itemStatsKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { ItemStatsDoc } from '../../db/models/item-stats.js';
import type { AttemptResultDoc } from '../../db/models/quiz.js';
import { readAhead } from '../../db/read-ahead.js';
import { findManyById } from '../../db/repositories/by-id.js';
import type { Course, Question } from '../../domain/course.js';
import { NotFound } from '../../domain/errors.js';
import { ItemTally, itemStatistics } from '../../domain/quiz/item-stats.js';
import type { ServiceContext } from '../context.js';
import {
  ITEM_STATS_CSV_COLUMNS,
  type ItemStatsRow,
  itemStatsCsvRow,
  itemStatsRow,
} from './item-stats-rows.js';

const BATCH = 2000;
/** Upserts per bulk write. */
const BULK = 500;

export interface ItemStatsReport {
  /** Graded attempts counted, over every course. */
  attempts: number;
  /** Summary documents written (one per question of each loaded course). */
  written: number;
}

/** Running sums per loaded course, fed one graded attempt at a time. */
export class CourseItemTallies {
  readonly tallies: Map<string, ItemTally>;
  attempts = 0;

  constructor(courseIds: Iterable<string>) {
    this.tallies = new Map([...courseIds].map((id) => [id, new ItemTally()]));
  }

  /** Adds one quiz result (its questions' points and the answers graded); other courses are skipped. */
  add(r: Pick<AttemptResultDoc, 'courseId' | 'questions' | 'answers'>): void {
    const tally = this.tallies.get(r.courseId);
    if (!tally) return;
    this.attempts += 1;
    tally.add({ questions: r.questions ?? [], answers: r.answers ?? {} });
  }
}

/**
 * One streaming pass over the graded attempts (quiz results carry each question's points and the
 * answers graded) into running sums: memory grows with the questions, never with the attempts.
 * The nightly job does not call this: it feeds the same tallies from the clause report's pass.
 */
export async function tallyItems(models: Models, courseIds: Iterable<string>): Promise<CourseItemTallies> {
  const tallies = new CourseItemTallies(courseIds);
  const cursor = driverCollection(models.AttemptResult).find<
    Pick<AttemptResultDoc, 'courseId' | 'questions' | 'answers'>
  >({}, { projection: { _id: 0, courseId: 1, questions: 1, answers: 1 }, batchSize: BATCH });
  for await (const batch of readAhead(cursor)) for (const r of batch) tallies.add(r);
  return tallies;
}

/** The summary document of one question of a course, from its tally. */
function statsDoc(courseId: string, question: Question, tally: ItemTally, now: Date): ItemStatsDoc {
  const questionId = question.id;
  const sums = tally.sums(questionId);
  const s = itemStatistics(question, sums);
  return {
    _id: itemStatsKey(courseId, questionId),
    courseId,
    questionId,
    computedAt: now,
    drawn: s.drawn,
    blank: s.blank,
    correct: sums.correct,
    shareCorrect: s.shareCorrect,
    meanPoints: s.meanPoints,
    discrimination: s.discrimination,
    sums: { n: sums.n, x: sums.x, y: sums.y, xy: sums.xy, xx: sums.xx, yy: sums.yy },
    picks: s.choices.map((c) => ({ id: c.id, n: c.picks })),
    verdicts: s.verdicts.map((v) => ({ id: v.id, n: v.picks })),
    flags: s.flags,
    unpicked: s.unpicked,
  };
}

/**
 * Stores the item statistics of finished tallies: one summary document per question of every
 * loaded course (never drawn: zero counts), upserted by `_id` in bulk writes. No transaction: each
 * document is whole on its own, and a rerun rewrites the same figures.
 */
export async function storeItemStats(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  { tallies: counted, now }: { tallies: CourseItemTallies; now: Date },
): Promise<ItemStatsReport> {
  const { tallies, attempts } = counted;
  const docs: ItemStatsDoc[] = [];
  for (const course of ctx.courses.values()) {
    const tally = tallies.get(course.id) ?? new ItemTally();
    for (const q of course.questions) docs.push(statsDoc(course.id, q, tally, now));
  }
  const collection = driverCollection(ctx.models.ItemStats);
  for (let i = 0; i < docs.length; i += BULK) {
    const ops = docs.slice(i, i + BULK).map(({ _id, ...fields }) => ({
      updateOne: { filter: { _id }, update: { $set: fields }, upsert: true },
    }));
    await collection.bulkWrite(ops, { ordered: false });
  }
  return { attempts, written: docs.length };
}

/** The item statistics on their own: a pass over the graded attempts, then the summary documents. */
export async function computeItemStats(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  { now }: { now: Date },
): Promise<ItemStatsReport> {
  return storeItemStats(ctx, { tallies: await tallyItems(ctx.models, ctx.courses.keys()), now });
}

export interface ItemStatsPage {
  course: Pick<Course, 'id' | 'title'>;
  /** When the nightly job counted them; null when no statistics exist yet. */
  computedAt: Date | null;
  /** One per question of the bank with stored figures: flagged first, then in file order. */
  rows: ItemStatsRow[];
}

function courseOf(ctx: Pick<ServiceContext, 'courses'>, courseId: string): Course {
  const course = ctx.courses.get(courseId);
  if (!course) throw new NotFound('reports.errors.noCourseHere');
  return course;
}

/**
 * HR's item statistics for a course: the stored document of each question of the loaded bank
 * (each read by `_id`), flagged questions first, then in the order of the file.
 */
export async function itemStatsPage(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  { courseId }: { courseId: string },
): Promise<ItemStatsPage> {
  const course = courseOf(ctx, courseId);
  const docs = await findManyById<ItemStatsDoc>(
    ctx.models.ItemStats,
    course.questions.map((q) => itemStatsKey(course.id, q.id)),
  );
  const byQuestion = new Map(docs.map((d) => [d.questionId, d]));
  const rows = course.questions.flatMap((q) => {
    const doc = byQuestion.get(q.id);
    return doc ? [itemStatsRow(q, doc)] : [];
  });
  // Stable sort: flagged first, each group in the order of the file.
  rows.sort((a, b) => Number(b.flags.length > 0) - Number(a.flags.length > 0));
  const computedAt = docs.reduce<Date | null>(
    (latest, d) => (latest === null || d.computedAt > latest ? d.computedAt : latest),
    null,
  );
  return { course: { id: course.id, title: course.title }, computedAt, rows };
}

/** The same rows as a CSV file (UTF-8 with a BOM, cells that look like formulas neutralised). */
export async function itemStatsCsv(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { courseId: string },
): Promise<string> {
  const page = await itemStatsPage(ctx, input);
  return stringify([[...ITEM_STATS_CSV_COLUMNS], ...page.rows.map(itemStatsCsvRow)], {
    bom: true,
    record_delimiter: 'windows',
  });
}
