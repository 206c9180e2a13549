import { usersRepository } from '../../db/repositories/users.js';
import type { Course, Question } from '../../domain/course.js';
import { addDays } from '../../domain/dates.js';
import { type GivenAnswer, type Rng, randomIndex, rightAnswer, seededRng } from '../../domain/quiz/index.js';
import type { ServiceContext } from '../context.js';
import { createPerson, updatePerson } from '../people/people.js';
import { findLearnerAttempt, gradeAndRecord, questionMap, startAttempt } from '../quiz/index.js';

/**
 * Former staff who sat the quiz in the past year and have since left: enough graded attempts,
 * from strong and weak learners alike, for HR's question statistics to show real figures (each
 * question drawn about a dozen times). They are deactivated, so the dashboard and the states of
 * the people still here are as before. Every attempt goes through the learner's own services.
 */
const LEAVERS = 36;
const FIRST = ['Ada', 'Bo', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ida', 'Jo', 'Kai', 'Lu'];
const LAST = ['Abbott', 'Brandt', 'Cole', 'Dunn', 'Ekberg', 'Ford', 'Gale', 'Holm', 'Ibsen'];
const DEPARTMENTS = ['Sales', 'Engineering', 'Operations'] as const;

interface Leaver {
  email: string;
  name: string;
  department: string;
  /** Chance of answering a question of medium difficulty right (0–1). */
  ability: number;
  quizDaysAgo: number;
  leftDaysAgo: number;
}

/** Deterministic, so screenshots and tests see the same history; days never shared with other steps. */
export function demoLeavers(): Leaver[] {
  return Array.from({ length: LEAVERS }, (_, i) => {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) * 3 + (i % 3)]!;
    // Abilities from 0.3 to 0.95, mixed over time (11 and 36 share no factor).
    const rank = (i * 11) % LEAVERS;
    return {
      email: `${first.toLowerCase()}.${last.toLowerCase()}@former.demo.test`,
      name: `${first} ${last}`,
      department: DEPARTMENTS[i % DEPARTMENTS.length]!,
      ability: 0.3 + (0.65 * rank) / (LEAVERS - 1),
      quizDaysAgo: 300 - 7 * i,
      leftDaysAgo: 297 - 7 * i,
    };
  });
}

const DIFFICULTY_SHIFT = { easy: 0.12, medium: 0, hard: -0.15 } as const;

/** A plausible wrong answer: a wrong option, or for classify often the right verdict with a wrong reason. */
function wrongAnswer(q: Question, rng: Rng): GivenAnswer {
  const pickOne = <T>(list: T[]): T => list[randomIndex(rng, list.length)]!;
  switch (q.type) {
    case 'single':
    case 'truefalse':
      return { choiceIds: [pickOne(q.options.filter((o) => !o.correct)).id] };
    case 'multiple': {
      // Misses one right option and ticks one wrong one.
      const right = q.options.filter((o) => o.correct).map((o) => o.id);
      const wrong = pickOne(q.options.filter((o) => !o.correct)).id;
      return { choiceIds: [...right.slice(1), wrong] };
    }
    case 'spot':
      return { choiceIds: [pickOne(q.segments.filter((s) => !s.problem)).id] };
    case 'classify': {
      const reason = pickOne(q.reasons.filter((r) => !r.correct)).id;
      if (rng() < 0.5) return { verdict: q.verdict, choiceIds: [reason] };
      const verdicts = (['acceptable', 'ask-first', 'unacceptable'] as const).filter((v) => v !== q.verdict);
      return { verdict: pickOne(verdicts), choiceIds: [reason] };
    }
  }
}

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/** Joins, sits the quiz (a second try after the cooldown if the first failed), all on one day. */
async function sitQuiz(ctx: ServiceContext, course: Course, leaver: Leaver, now: Date): Promise<void> {
  let at = minutes(addDays(now, -leaver.quizDaysAgo), -180);
  const hireDate = addDays(now, -leaver.quizDaysAgo - 400);
  const person = await createPerson(ctx, {
    person: {
      email: leaver.email,
      name: leaver.name,
      employeeId: null,
      department: leaver.department,
      managerId: null,
      hireDate,
      locale: '',
      active: true,
    },
    actorId: null,
    now: at,
  });
  const learner = { id: person._id, department: person.department };
  const questions = questionMap(course);
  for (let n = 1; n <= 2; n += 1) {
    at = minutes(at, 5);
    const rng = seededRng(`demo-quiz:${leaver.email}:${n}`);
    const attemptNo = await startAttempt(ctx, { learner, courseId: course.id, now: at });
    const { quiz, attempt } = await findLearnerAttempt(ctx, {
      learner,
      courseId: course.id,
      n: attemptNo,
      now: at,
    });
    // A second try goes a little better: the failed attempt showed which clauses to revisit.
    const ability = leaver.ability + (n - 1) * 0.1;
    const answers = Object.fromEntries(
      attempt.draw.map((d) => {
        const q = questions.get(d.questionId)!;
        const right = rng() < Math.min(0.98, ability + DIFFICULTY_SHIFT[q.difficulty]);
        return [d.questionId, right ? rightAnswer(q) : wrongAnswer(q, rng)];
      }),
    );
    at = minutes(at, 9);
    const { result } = await gradeAndRecord(ctx, { course, cycle: quiz.cycle, attempt, answers, now: at });
    if (result.passed) return;
    at = minutes(at, course.quiz.cooldownMinutes);
  }
}

/**
 * The history steps (each on its own day) that the demo seed runs in time order with its others;
 * `course` gives the course as served when a step runs (a policy version is published part-way).
 */
export function leaverSteps(
  ctx: ServiceContext,
  course: () => Course,
  now: Date,
): Array<{ daysAgo: number; run: () => Promise<void> }> {
  return demoLeavers().flatMap((leaver) => [
    { daysAgo: leaver.quizDaysAgo, run: () => sitQuiz(ctx, course(), leaver, now) },
    {
      daysAgo: leaver.leftDaysAgo,
      run: async () => {
        const person = await usersRepository(ctx.models).findByEmail(leaver.email);
        if (!person) return;
        await updatePerson(ctx, {
          userId: person._id,
          changes: { active: false },
          actorId: null,
          now: addDays(now, -leaver.leftDaysAgo),
        });
      },
    },
  ]);
}
