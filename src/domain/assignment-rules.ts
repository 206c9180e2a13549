import { addDays, utcDay } from './dates.js';

/** Who a rule assigns a course to. */
export type RuleTarget =
  | { kind: 'individuals'; userIds: string[] }
  | { kind: 'departments'; departments: string[] }
  | { kind: 'everyone' };

/** When the first cycle is due: a fixed day, or N days after the assignment or the hire date. */
export type RuleDue =
  | { kind: 'fixed'; date: Date }
  | { kind: 'after-assignment'; days: number }
  | { kind: 'after-hire'; days: number };

export interface RulePerson {
  _id: string;
  department: string;
  active: boolean;
  hireDate?: Date | null;
}

export function matchesTarget(target: RuleTarget, person: RulePerson): boolean {
  if (!person.active) return false;
  if (target.kind === 'everyone') return true;
  if (target.kind === 'departments') return target.departments.includes(person.department);
  return target.userIds.includes(person._id);
}

/**
 * Whether the sweep should catch a matching person who has no assignment yet. Without a
 * new-hire limit, everyone who matches later is caught; with one, only people hired within the
 * last N days (a future hire date waits until that day).
 */
export function catchesLater(newHireWithinDays: number | null, person: RulePerson, now: Date): boolean {
  if (newHireWithinDays === null) return true;
  if (!person.hireDate) return false;
  const hired = utcDay(person.hireDate);
  const today = utcDay(now);
  return hired <= today && today <= addDays(hired, newHireWithinDays);
}

/**
 * The due day of a new assignment. Relative dues never land before the assignment day (a hire date
 * long ago must not make the work overdue the moment it is assigned), and "after hire" without a
 * hire date counts from the assignment.
 */
export function dueDateFor(due: RuleDue, person: RulePerson, assignedAt: Date): Date {
  const assignedDay = utcDay(assignedAt);
  if (due.kind === 'fixed') return utcDay(due.date);
  if (due.kind === 'after-assignment') return addDays(assignedDay, due.days);
  const from = person.hireDate ? utcDay(person.hireDate) : assignedDay;
  const day = addDays(from, due.days);
  // Never due before the person was assigned (a hire date long past).
  return day.getTime() < assignedDay.getTime() ? assignedDay : day;
}

export function describeTarget(target: RuleTarget, names: (id: string) => string = (id) => id): string {
  if (target.kind === 'everyone') return 'Everyone';
  if (target.kind === 'departments') return `Departments: ${target.departments.join(', ')}`;
  return `People: ${target.userIds.map(names).join(', ')}`;
}

export function describeDue(due: RuleDue): string {
  if (due.kind === 'fixed') return `Due ${due.date.toISOString().slice(0, 10)}`;
  if (due.kind === 'after-assignment') return `Due ${due.days} days after assignment`;
  return `Due ${due.days} days after hire date`;
}
