import type { UserDoc } from '../db/models/user.js';
import { newUserId, type UsersRepository } from '../db/repositories/users.js';
import { hashPassword } from './passwords.js';

export const DEMO_PASSWORD = 'demo-password';

export const DEMO_LOGINS = [
  { email: 'admin@demo.test', role: 'admin' },
  { email: 'hr@demo.test', role: 'hr' },
  { email: 'manager@demo.test', role: 'employee', note: 'manages the Sales team' },
  { email: 'employee@demo.test', role: 'employee' },
] as const;

const DEPARTMENTS = ['Sales', 'Engineering', 'Operations'] as const;

const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Femi', 'Grace', 'Hiro', 'Isla', 'Jonas', 'Kara', 'Liam', 'Maya', 'Noah', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tara', 'Uma', 'Victor', 'Wen', 'Yusuf'];
const LAST = ['Adams', 'Bauer', 'Costa', 'Diallo', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ivanova', 'Jensen', 'Khan', 'Lopez', 'Moreau', 'Nakamura', 'Okafor', 'Patel', 'Quist', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Young'];

export interface DemoPerson extends Omit<UserDoc, 'createdAt' | 'updatedAt' | 'passwordHash'> {}

/**
 * The demo organisation, as plain data: three departments each with a manager, HR and
 * admin accounts, the demo employee in Sales (managed by manager@demo.test), and 24
 * more employees. Deterministic, so tests and screenshots see the same people.
 */
export function demoPeople(hireDateBase: Date): DemoPerson[] {
  const people: DemoPerson[] = [];
  const base = { active: true, locale: 'en', hireDate: hireDateBase } as const;
  const admin = { ...base, _id: newUserId(), email: 'admin@demo.test', name: 'Alex Admin', role: 'admin', department: 'IT', managerId: null, employeeId: 'E0001' } as const;
  const hr = { ...base, _id: newUserId(), email: 'hr@demo.test', name: 'Harper Reyes', role: 'hr', department: 'People', managerId: null, employeeId: 'E0002' } as const;
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
