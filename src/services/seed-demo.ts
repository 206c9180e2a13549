import type { UserDoc } from '../db/models/user.js';
import { assignmentKey, cycleKey, trainingRepository } from '../db/repositories/training.js';
import { newUserId, type UsersRepository, usersRepository } from '../db/repositories/users.js';
import { addDays, utcDay } from '../domain/dates.js';
import { expiryFor } from '../domain/recertification.js';
import { createRule } from './assignments.js';
import { recertificationPolicy } from './course-settings.js';
import { runNightly } from './nightly.js';
import { hashPassword } from './passwords.js';
import { runSweep, type SweepDeps } from './sweep.js';

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
 * more employees. Deterministic, so tests and screenshots see the same people.
 */
export function demoPeople(hireDateBase: Date): DemoPerson[] {
  const people: DemoPerson[] = [];
  const base = { active: true, locale: 'en', hireDate: hireDateBase } as const;
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
    people.push({
      ...base,
      _id: newUserId(),
      email: `${FIRST[i]!.toLowerCase()}.${LAST[i]!.toLowerCase()}@demo.test`,
      name: `${FIRST[i]} ${LAST[i]}`,
      role: 'employee',
      department: DEPARTMENTS[dept]!,
      managerId: managers[dept]!._id,
      employeeId: `E${String(101 + i).padStart(4, '0')}`,
    });
  }
  return people;
}

/** Creates the demo organisation when the database has no people yet. Returns false if it already had some. */
export async function seedDemo(users: UsersRepository, now: Date): Promise<boolean> {
  if ((await users.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const hireDate = new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 15));
  for (const person of demoPeople(hireDate)) {
    await users.insert({ ...person, passwordHash });
  }
  return true;
}

export function demoLoginLines(): string[] {
  return [
    `Demo logins (password: ${DEMO_PASSWORD}):`,
    ...DEMO_LOGINS.map((l) => `  ${l.email.padEnd(22)} ${l.role}${'note' in l ? ` (${l.note})` : ''}`),
  ];
}

/**
 * Demo training data for a freshly seeded organisation, so HR pages are not empty: the first
 * course assigned to everyone (due in 30 days), a few people with history (completed recently,
 * completed long ago and now due again, overdue), then one sweep and the nightly job, so states,
 * the report summary (with its clause report) and the outbox are filled.
 */
export async function seedDemoTraining(deps: SweepDeps, now: Date): Promise<void> {
  const course = [...deps.courses.values()][0];
  if (!course) return;
  const { models } = deps;
  const hr = await usersRepository(models).findByEmail('hr@demo.test');
  await createRule(
    { models, audit: deps.audit, courses: deps.courses },
    {
      courseId: course.id,
      target: { kind: 'everyone' },
      due: { kind: 'after-assignment', days: 30 },
      newHireWithinDays: null,
    },
    hr?._id ?? 'system',
    now,
  );
  const policy = await recertificationPolicy(models, course, now);
  const repo = trainingRepository(models);
  const history: Array<[email: string, completedDaysAgo: number | null, dueDaysAgo?: number]> = [
    ['ava.adams@demo.test', 20],
    ['ben.bauer@demo.test', 45],
    ['chloe.costa@demo.test', 350],
    ['dev.diallo@demo.test', 400],
    ['elena.evans@demo.test', null, 10],
    ['femi.fischer@demo.test', null, 20],
  ];
  for (const [email, completedDaysAgo, dueDaysAgo] of history) {
    const person = await usersRepository(models).findByEmail(email);
    if (!person) continue;
    const id = assignmentKey(person._id, course.id);
    const cycleId = cycleKey(person._id, course.id, 1);
    if (completedDaysAgo !== null) {
      const completedAt = addDays(now, -completedDaysAgo);
      const expiresAt = expiryFor(policy, completedAt, null);
      await repo.updateCycle(cycleId, {
        startedAt: completedAt,
        completedAt,
        expiresAt,
        openedAt: addDays(completedAt, -14),
      });
      await repo.updateAssignment(id, {
        state: 'completed',
        completedAt,
        expiresAt,
        assignedAt: addDays(completedAt, -14),
        updatedAt: now,
      });
    } else {
      const dueAt = utcDay(addDays(now, -(dueDaysAgo ?? 0)));
      await repo.updateCycle(cycleId, { dueAt });
      await repo.updateAssignment(id, { dueAt, assignedAt: addDays(dueAt, -30), updatedAt: now });
    }
  }
  await runSweep(deps, now);
  await runNightly(deps, now);
}
