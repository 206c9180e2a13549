import type { UserDoc } from '../../db/models/user.js';
import { peopleDirectory } from '../../db/people-directory.js';
import { newUserId, usersRepository } from '../../db/repositories/users.js';
import type { RuleTarget } from '../../domain/assignment-rules.js';
import type { Course } from '../../domain/course.js';
import { addDays } from '../../domain/dates.js';
import { rightAnswer } from '../../domain/quiz/index.js';
import { createRule } from '../assignments/assignments.js';
import { ensureEnrolled } from '../assignments/enrollment.js';
import type { ServiceContext } from '../context.js';
import { hashPassword } from '../identity/passwords.js';
import { runNightly } from '../jobs/nightly.js';
import { runSweep } from '../jobs/sweep/index.js';
import { recordLessonView } from '../learning/progress.js';
import { findLearnerAttempt, questionMap, startAttempt } from '../quiz/index.js';
import { gradeAndRecord } from '../quiz/record-result.js';
import { attest } from '../records/attestation.js';
import { seedDemoProfile } from './organisation.js';
import { POLICY_UPDATE_DAYS_AGO, publishDemoPolicyUpdate } from './policy-update.js';
import { leaverSteps } from './quiz-history.js';
import { REFRESHER_PEOPLE, seedRefreshers } from './refreshers.js';
import { DEMO_PEOPLE_REGIONS } from './regions.js';

export const DEMO_PASSWORD = 'demo-password';

export const DEMO_LOGINS = [
  { email: 'admin@demo.test', role: 'admin' },
  { email: 'hr@demo.test', role: 'hr' },
  { email: 'manager@demo.test', role: 'employee', note: 'manages the Sales team' },
  { email: 'employee@demo.test', role: 'employee' },
] as const;

const DEPARTMENTS = ['Sales', 'Engineering', 'Operations'] as const;

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Elena',
  'Femi',
  'Grace',
  'Hiro',
  'Isla',
  'Jonas',
  'Kara',
  'Liam',
  'Maya',
  'Noah',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Yusuf',
];
const LAST = [
  'Adams',
  'Bauer',
  'Costa',
  'Diallo',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ivanova',
  'Jensen',
  'Khan',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quist',
  'Rossi',
  'Silva',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Young',
];

export interface DemoPerson extends Omit<UserDoc, 'createdAt' | 'updatedAt' | 'passwordHash'> {}

/**
 * The demo organisation, as plain data: three departments each with a manager, HR and
 * admin accounts, the demo employee in Sales (managed by manager@demo.test), and 24
 * more employees, a few of them with a region (regions.ts). Deterministic, so tests and screenshots see the same people.
 */
export function demoPeople(hireDateBase: Date): DemoPerson[] {
  const people: DemoPerson[] = [];
  const base = { active: true, locale: '', hireDate: hireDateBase } as const;
  const admin = {
    ...base,
    _id: newUserId(),
    email: 'admin@demo.test',
    name: 'Alex Admin',
    role: 'admin',
    department: 'IT',
    managerId: null,
    employeeId: 'E0001',
  } as const;
  const hr = {
    ...base,
    _id: newUserId(),
    email: 'hr@demo.test',
    name: 'Harper Reyes',
    role: 'hr',
    department: 'People',
    managerId: null,
    employeeId: 'E0002',
  } as const;
  people.push(admin, hr);
  const managers = DEPARTMENTS.map((dept, i) => ({
    ...base,
    _id: newUserId(),
    email: i === 0 ? 'manager@demo.test' : `${dept.toLowerCase()}.lead@demo.test`,
    name: i === 0 ? 'Morgan Lee' : `${FIRST[20 + i]} ${LAST[20 + i]}`,
    role: 'employee' as const,
    department: dept,
    managerId: null,
    employeeId: `E00${10 + i}`,
  }));
  people.push(...managers);
  people.push({
    ...base,
    _id: newUserId(),
    email: 'employee@demo.test',
    name: 'Erin Example',
    role: 'employee',
    department: 'Sales',
    managerId: managers[0]!._id,
    employeeId: 'E0100',
  });
  for (let i = 0; i < 24; i += 1) {
    const dept = i % DEPARTMENTS.length;
    const email = `${FIRST[i]!.toLowerCase()}.${LAST[i]!.toLowerCase()}@demo.test`;
    people.push({
      ...base,
      _id: newUserId(),
      email,
      name: `${FIRST[i]} ${LAST[i]}`,
      region: DEMO_PEOPLE_REGIONS[email] ?? null,
      role: 'employee',
      department: DEPARTMENTS[dept]!,
      managerId: managers[dept]!._id,
      employeeId: `E${String(101 + i).padStart(4, '0')}`,
    });
  }
  return people;
}

/** Creates the demo organisation when the database has no people yet. Returns false if it already had some. */
export async function seedDemo(ctx: ServiceContext, { now }: { now: Date }): Promise<boolean> {
  const users = usersRepository(ctx.models);
  if ((await users.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD, ctx.passwordHashCost);
  const hireDate = new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 15));
  const people = demoPeople(hireDate);
  for (const person of people) {
    // The people directory of this process sees them at once, as for every write of a person.
    peopleDirectory(ctx.models).put(await users.insert({ ...person, passwordHash }));
  }
  const admin = people.find((p) => p.role === 'admin');
  // Dated at the hire date, before every training event, so the audit log stays in time order.
  if (admin) await seedDemoProfile(ctx, { actorId: admin._id, now: hireDate });
  return true;
}

export function demoLoginLines(): string[] {
  return [
    `Demo logins (password: ${DEMO_PASSWORD}):`,
    ...DEMO_LOGINS.map((l) => `  ${l.email.padEnd(22)} ${l.role}${'note' in l ? ` (${l.note})` : ''}`),
  ];
}

/** Someone who took the course on their own before HR assigned it, and when they finished. */
interface DemoCompletion {
  email: string;
  completedDaysAgo: number;
  /** Failed the first attempt and passed the second after the cooldown (HR sees both attempts). */
  failedFirst?: boolean;
}

const EARLY_COMPLETIONS: DemoCompletion[] = [
  { email: 'chloe.costa@demo.test', completedDaysAgo: 350, failedFirst: true },
  { email: 'ben.bauer@demo.test', completedDaysAgo: 45 },
  { email: 'ava.adams@demo.test', completedDaysAgo: 20 },
  // Their refresher cycles open at the seed's sweep; refreshers.ts takes each down one path.
  ...REFRESHER_PEOPLE.map(({ email, completedDaysAgo }) => ({ email, completedDaysAgo })),
];

/** Assigned by HR with 30 days to finish, and never started: overdue now. */
const OVERDUE = ['elena.evans@demo.test', 'femi.fischer@demo.test'];
const OVERDUE_ASSIGNED_DAYS_AGO = 40;

const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/**
 * One person's whole course, through the services a learner's requests use, at past times that
 * start 40 minutes before the day `completedDaysAgo` names: every lesson, the quiz (right answers;
 * blank ones first if `failedFirst`) and the attestation, which completes the cycle and issues the
 * certificate.
 */
async function takeCourse(
  ctx: ServiceContext,
  course: Course,
  person: UserDoc,
  done: DemoCompletion,
  now: Date,
) {
  const learner = { id: person._id, department: person.department };
  let at = minutes(addDays(now, -done.completedDaysAgo), -40);
  for (const lesson of course.lessons) {
    await recordLessonView(ctx, { learner, course, lesson, now: at });
    at = minutes(at, 3);
  }
  const questions = questionMap(course);
  const sit = async (right: boolean) => {
    const n = await startAttempt(ctx, { learner, courseId: course.id, now: at });
    const { quiz, attempt } = await findLearnerAttempt(ctx, { learner, courseId: course.id, n, now: at });
    const answers = Object.fromEntries(
      attempt.draw.map((d) => [
        d.questionId,
        right ? rightAnswer(questions.get(d.questionId)!) : { choiceIds: [] },
      ]),
    );
    at = minutes(at, 8);
    await gradeAndRecord(ctx, { course, cycle: quiz.cycle, attempt, answers, now: at });
  };
  if (done.failedFirst) {
    await sit(false);
    at = minutes(at, course.quiz.cooldownMinutes + 5);
  }
  await sit(true);
  const { cycle, assignment } = await ensureEnrolled(ctx, { learner, course, now: at });
  const attested = await attest(ctx, {
    userId: person._id,
    course,
    cycle,
    assignment,
    typedName: person.name,
    agreed: true,
    ip: '127.0.0.1',
    userAgent: 'demo data',
    now: minutes(at, 2),
  });
  if (!attested.ok || !attested.completed) throw new Error(`demo history for ${done.email} did not complete`);
}

/**
 * Demo training data for a freshly seeded organisation, so every page has something real to show,
 * written in time order through the same services as live use:
 * - four people took the course on their own months ago (lessons, quiz, attestation, certificate);
 *   two of those completions are old enough that the refresher is now due;
 * - HR assigned two people 40 days ago, who never started: overdue (inside the grace period);
 * - 36 former staff, strong and weak, sat the quiz over the past year and have since left
 *   (quiz-history.ts), so HR's question statistics have real attempts to count;
 * - today HR assigns the course to everyone, due in 30 days;
 * then one sweep (which opens the refresher cycles of completions about a year old), three people's
 * refreshers (refreshers.ts: tested out of everything, a few weak clauses, the check declined), and
 * the nightly job fill states, the report summary, the question statistics, the knowledge page and
 * the outbox.
 */
export async function seedDemoTraining(ctx: ServiceContext, { now }: { now: Date }): Promise<void> {
  const first = [...ctx.courses.values()][0];
  if (!first) return;
  // The course as served at each step: the demo publishes a policy version part-way through.
  const current = () => ctx.courses.get(first.id) ?? first;
  const users = usersRepository(ctx.models);
  const hrId = (await users.findByEmail('hr@demo.test'))?._id ?? 'system';
  const assignAt = async (target: RuleTarget, at: Date) =>
    createRule(ctx, {
      courseId: first.id,
      target,
      due: { kind: 'after-assignment', days: 30 },
      newHireWithinDays: null,
      actorId: hrId,
      now: at,
    });

  const assignOverdue = async () => {
    const people = await Promise.all(OVERDUE.map((email) => users.findByEmail(email)));
    const userIds = people.flatMap((p) => (p ? [p._id] : []));
    if (userIds.length > 0)
      await assignAt({ kind: 'individuals', userIds }, addDays(now, -OVERDUE_ASSIGNED_DAYS_AGO));
  };
  const history = [
    ...EARLY_COMPLETIONS.map((done) => ({
      daysAgo: done.completedDaysAgo,
      run: async () => {
        const person = await users.findByEmail(done.email);
        if (person) await takeCourse(ctx, current(), person, done, now);
      },
    })),
    { daysAgo: POLICY_UPDATE_DAYS_AGO, run: () => publishDemoPolicyUpdate(ctx, current(), now) },
    { daysAgo: OVERDUE_ASSIGNED_DAYS_AGO, run: assignOverdue },
    // Former staff who sat the quiz and left: the attempts behind HR's question statistics.
    ...leaverSteps(ctx, current, now),
  ];
  // Oldest first, so every record and audit event is written in time order.
  for (const step of history.sort((a, b) => b.daysAgo - a.daysAgo)) await step.run();
  await assignAt({ kind: 'everyone' }, now);
  await runSweep(ctx, { now });
  await seedRefreshers(ctx, current(), now);
  await runNightly(ctx, { now });
}
