import type { UserDoc } from '../../db/models/user.js';
import { usersRepository } from '../../db/repositories/users.js';
import type { Course } from '../../domain/course.js';
import { rightAnswer } from '../../domain/quiz/index.js';
import type { ServiceContext } from '../context.js';
import { declineTestOut } from '../learning/refresher.js';
import { findPretest, startPretest } from '../quiz/pretest.js';
import { gradeAndRecord } from '../quiz/record-result.js';
import { attest } from '../records/attestation.js';

/**
 * Demo people whose refresher cycle (issue #23) shows each path. They completed the course about
 * eleven months ago or more (their cycle 1 is written with the other early completions), so the
 * seed's sweep opens their refresher cycle; then, at the seed's time, through the learner's services:
 *  - `knows`: the check of what they still know, every answer right: every clause tested out,
 *    only the attestation left (the five-minute refresher);
 *  - `weak`: the same check with the questions on `weak` clauses answered wrong: they study those;
 *  - `declined`: they skip the check: the full path, every clause studied;
 *  - `finished`: every clause tested out, then the attestation of the full current policy: the
 *    five-minute refresher done, with its certificate;
 *  - `changed`: every answer right too, but they last attested version 1, before the demo's
 *    version 2 changed clause 2 (policy-update.ts): they study that clause all the same.
 * Chloe Costa's refresher (seed.ts) stays untouched: the offer to take the check.
 */
export const REFRESHER_PEOPLE = [
  { email: 'liam.lopez@demo.test', completedDaysAgo: 345, path: 'knows' },
  { email: 'maya.moreau@demo.test', completedDaysAgo: 340, path: 'weak', weak: ['SMP-04', 'SMP-07'] },
  { email: 'noah.nakamura@demo.test', completedDaysAgo: 335, path: 'declined' },
  { email: 'omar.okafor@demo.test', completedDaysAgo: 342, path: 'finished' },
  { email: 'dev.diallo@demo.test', completedDaysAgo: 400, path: 'changed' },
] as const;

type RefresherPerson = (typeof REFRESHER_PEOPLE)[number];

/** An answer that earns nothing: no choice at all (the grading gives a blank answer 0 points). */
const BLANK = { choiceIds: [] };

async function takeCheck(
  ctx: ServiceContext,
  course: Course,
  person: UserDoc,
  weak: readonly string[],
  now: Date,
) {
  const learner = { id: person._id, department: person.department };
  await startPretest(ctx, { learner, courseId: course.id, now });
  const found = await findPretest(ctx, { learner, courseId: course.id, now });
  if (!found) throw new Error(`demo refresher for ${person.email}: no check started`);
  const questions = new Map(course.questions.map((q) => [q.id, q]));
  const answers = Object.fromEntries(
    found.attempt.draw.map((d) => {
      const q = questions.get(d.questionId)!;
      return [d.questionId, q.clauses.some((c) => weak.includes(c)) ? BLANK : rightAnswer(q)];
    }),
  );
  await gradeAndRecord(ctx, { course, cycle: found.cycle, attempt: found.attempt, answers, now });
}

/** Signs the full current policy after testing out of every clause: the cycle completes, with its certificate. */
async function attestAfterCheck(ctx: ServiceContext, course: Course, person: UserDoc, now: Date) {
  const learner = { id: person._id, department: person.department };
  const found = await findPretest(ctx, { learner, courseId: course.id, now });
  if (!found) throw new Error(`demo refresher for ${person.email}: no check taken`);
  const signed = await attest(ctx, {
    userId: person._id,
    course,
    cycle: found.cycle,
    typedName: person.name,
    agreed: true,
    ip: '127.0.0.1',
    userAgent: 'demo seed',
    now,
  });
  if (!signed.ok)
    throw new Error(`demo refresher for ${person.email}: attestation refused (${signed.reason})`);
}

/** Each refresher person's path, at `now` (after the sweep that opened their refresher cycle). */
export async function seedRefreshers(ctx: ServiceContext, course: Course, now: Date): Promise<void> {
  const users = usersRepository(ctx.models);
  for (const p of REFRESHER_PEOPLE as readonly RefresherPerson[]) {
    const person = await users.findByEmail(p.email);
    if (!person) continue;
    if (p.path === 'declined') {
      await declineTestOut(ctx, {
        learner: { id: person._id, department: person.department },
        courseId: course.id,
        now,
      });
      continue;
    }
    await takeCheck(ctx, course, person, 'weak' in p ? p.weak : [], now);
    if (p.path === 'finished') await attestAfterCheck(ctx, course, person, now);
  }
}
