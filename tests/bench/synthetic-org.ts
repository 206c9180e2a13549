import type { Models } from '../../src/db/models/index.js';
import type { UserDoc } from '../../src/db/models/user.js';
import { newUserId } from '../../src/db/repositories/users.js';
import { GENESIS_HASH } from '../../src/domain/audit-chain.js';
import type { Course, Question } from '../../src/domain/course.js';
import type { SessionUser } from '../../src/domain/roles.js';
import { chainedEvent } from '../../src/services/audit/log.js';
import { chance, seeded } from './synthetic/random.js';
import { type AuditRecord, type Person, personHistory } from './synthetic/timeline.js';
import { BatchWriter } from './synthetic/writer.js';

/**
 * Synthetic organisations for the benchmarks: N employees across departments, each department
 * with a manager, plus HR and admin accounts; two years of training history for one course
 * (see synthetic/timeline.ts); optionally the hash-chained audit log that history would have
 * left. Written with unordered insertMany in batches; memory stays flat as N grows.
 */

export interface OrgSpec {
  employees: number;
  course: Course;
  now: Date;
  /** One argon2 hash shared by everyone (hashing 100k passwords would dominate the run). */
  passwordHash: string;
  seed?: number;
  /** People per department (a manager each); default 200. */
  departmentSize?: number;
  /** Write the audit events of the history (login, attempts, attestation, completion, certificate). */
  audit?: boolean;
  /** Share of employees with a stored session (half of them expired, awaiting the sweep's clean-up). */
  sessionShare?: number;
  batchSize?: number;
}

export interface OrgSummary {
  employees: number;
  departments: number;
  /** Documents written per collection. */
  counts: Record<string, number>;
  hr: SessionUser;
  admin: SessionUser;
  /** A few active employees (no manager role), for sessions and lookups. */
  sample: SessionUser[];
  /** Assignment states as generated, e.g. { completed: 700, overdue: 40, … }. */
  states: Record<string, number>;
  ms: number;
}

export const BENCH_DOMAIN = 'bench.test';
const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;

function sessionUser(u: Pick<UserDoc, '_id' | 'email' | 'name' | 'role' | 'department'>): SessionUser {
  return { id: u._id, email: u.email, name: u.name, role: u.role, department: u.department };
}

function userDoc(spec: OrgSpec, p: Person, role: UserDoc['role'], employeeNo: number): UserDoc {
  return {
    _id: p.id,
    email: p.email,
    name: p.name,
    employeeId: `S${String(employeeNo).padStart(7, '0')}`,
    department: p.department,
    managerId: p.managerId,
    role,
    active: p.active,
    locale: 'en',
    hireDate: p.hireDate,
    passwordHash: spec.passwordHash,
    createdAt: p.hireDate,
    updatedAt: p.hireDate,
  };
}

/** A stored session as the session store writes it (db/session-store.ts). */
function sessionDoc(user: UserDoc, now: Date, rnd: () => number) {
  const expiresAt = new Date(now.getTime() + (rnd() - 0.5) * 16 * 3600 * 1000);
  const cookie = {
    originalMaxAge: 8 * 3600 * 1000,
    expires: expiresAt.toISOString(),
    httpOnly: true,
    path: '/',
    sameSite: 'lax',
    secure: false,
  };
  return {
    _id: `bench-${user._id}`,
    userId: user._id,
    expiresAt,
    data: { cookie, user: sessionUser(user), _csrf: 'bench-csrf-secret-0000' },
  };
}

/** Appends audit records to the chain exactly as services/audit/log.ts would (`_id` = auditEventId(seq)). */
class AuditChain {
  seq = 0;
  hash = GENESIS_HASH;
  next(r: AuditRecord) {
    const doc = chainedEvent(this, r, r.at);
    this.seq = doc.seq;
    this.hash = doc.hash;
    return doc;
  }
}

export async function generateOrg(models: Models, spec: OrgSpec): Promise<OrgSummary> {
  const started = performance.now();
  const rnd = seeded(spec.seed ?? 42);
  const writer = new BatchWriter(models, spec.batchSize ?? 2000);
  const chain = new AuditChain();
  const deptSize = spec.departmentSize ?? 200;
  const departments = Math.max(1, Math.ceil(spec.employees / deptSize));
  const start = new Date(spec.now.getTime() - 2 * YEAR);
  const questionsById = new Map<string, Question>(spec.course.questions.map((q) => [q.id, q]));
  const ctx = { course: spec.course, questionsById, now: spec.now, start };
  const states: Record<string, number> = {};
  const sample: SessionUser[] = [];
  const deptName = (d: number) => `Department ${String(d + 1).padStart(3, '0')}`;

  const staff = (role: 'hr' | 'admin', department: string): UserDoc => {
    const p: Person = {
      id: newUserId(),
      name: `Bench ${role.toUpperCase()}`,
      email: `${role}@${BENCH_DOMAIN}`,
      department,
      managerId: null,
      active: true,
      hireDate: start,
      rolloutAt: start,
    };
    return userDoc(spec, p, role, role === 'hr' ? 1 : 2);
  };
  const hr = staff('hr', 'People');
  const admin = staff('admin', 'IT');
  await writer.add('User', [hr, admin]);
  await writer.add(
    'LoginKey',
    [hr, admin].map((u) => ({ _id: u.email, userId: u._id })),
  );
  // The rule that assigned everyone, and catches new hires: the sweep applies it daily.
  await writer.add('AssignmentRule', [
    {
      _id: 'bench-everyone',
      courseId: spec.course.id,
      target: { kind: 'everyone' },
      due: { kind: 'after-assignment', days: 30 },
      newHireWithinDays: 30,
      active: true,
      createdAt: start,
      createdBy: hr._id,
    },
  ]);

  let managerId: string | null = null;
  // Spread the sample over the whole organisation (early and late hires, every department).
  const stride = Math.max(1, Math.floor(spec.employees / 80));
  let eligible = 0;
  for (let i = 0; i < spec.employees; i++) {
    const dept = Math.floor(i / deptSize);
    const isManager = i % deptSize === 0;
    const id = newUserId();
    if (isManager) managerId = id;
    const hiredYearsAgo = chance(rnd, 0.25) ? rnd() * 2 : 2 + rnd() * 8;
    const person: Person = {
      id,
      name: `Person ${i + 1}`,
      email: `person${i + 1}@${BENCH_DOMAIN}`,
      department: deptName(dept),
      managerId: isManager ? null : managerId,
      active: isManager || !chance(rnd, 0.03),
      hireDate: new Date(Math.floor((spec.now.getTime() - hiredYearsAgo * YEAR) / DAY) * DAY),
      // Departments join in fortnightly waves over the first year, so cycles spread over the calendar.
      rolloutAt: new Date(start.getTime() + (dept % 26) * 14 * DAY),
    };
    const user = userDoc(spec, person, 'employee', 100 + i);
    await writer.add('User', [user]);
    await writer.add('LoginKey', [{ _id: user.email, userId: id }]);
    if (!isManager && person.active && eligible++ % stride === 0 && sample.length < 64)
      sample.push(sessionUser(user));

    const h = personHistory(ctx, person, rnd);
    if (h.assignment) {
      states[h.assignment.state] = (states[h.assignment.state] ?? 0) + 1;
      await writer.add('Assignment', [h.assignment]);
    }
    await writer.add('Cycle', h.cycles);
    await writer.add('Attempt', h.attempts);
    await writer.add('AttemptResult', h.results);
    await writer.add('Attestation', h.attestations);
    await writer.add('CertificateByCycle', h.certificateByCycle);
    await writer.add('Certificate', h.certificates);
    await writer.add('Progress', h.progress);
    if (spec.audit)
      await writer.add(
        'AuditEvent',
        h.audit.map((r) => chain.next(r)),
      );
    if (person.active && rnd() < (spec.sessionShare ?? 0))
      await writer.add('Session', [sessionDoc(user, spec.now, rnd)]);
  }
  await writer.flush();
  return {
    employees: spec.employees,
    departments,
    counts: { ...writer.counts } as Record<string, number>,
    hr: sessionUser(hr),
    admin: sessionUser(admin),
    sample,
    states,
    ms: Math.round(performance.now() - started),
  };
}
