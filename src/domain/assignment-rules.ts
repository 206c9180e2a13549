import { addDays, parseDay, utcDay } from './dates.js';

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

/** A form field and what to tell HR about it. */
export interface FieldError {
  field: string;
  /** A catalogue key (hr.assign.errors.*), worded in the page's language with `values`. */
  message: string;
  values?: Record<string, string | number>;
}

/** A rule as `createRule` takes it: who, which course, when due, and whether it catches only new hires. */
export interface RuleInput {
  courseId: string;
  target: RuleTarget;
  due: RuleDue;
  newHireWithinDays: number | null;
}

/** The course must exist (the one check on `courseId`, for the form and for `createRule`). */
export function courseProblem(courseExists: boolean): FieldError[] {
  return courseExists ? [] : [{ field: 'courseId', message: 'hr.assign.errors.course' }];
}

/** A fixed due date cannot be in the past (the one check on `due`, for the form and for `createRule`). */
export function dueProblem(due: RuleDue, now: Date): FieldError[] {
  return due.kind === 'fixed' && utcDay(due.date) < utcDay(now)
    ? [{ field: 'dueDate', message: 'hr.assign.errors.fixedPast' }]
    : [];
}

/** Every check a new rule passes before anything is written, whoever creates it. */
export function ruleProblems(rule: RuleInput, facts: { courseExists: boolean; now: Date }): FieldError[] {
  return [...courseProblem(facts.courseExists), ...dueProblem(rule.due, facts.now)];
}

/**
 * HR's "assign a course" form, as the browser sends it. A field of ticked checkboxes is absent when
 * none is ticked, one value, or several. People are e-mails (the picker's checkboxes, or typed,
 * separated by spaces, commas or semicolons); departments are the ticked `department` boxes, each
 * value whole (a department's name may hold a comma), and/or typed `departments` text, one per line
 * or comma-separated.
 */
export interface RuleForm {
  courseId: string;
  targetKind: RuleTarget['kind'];
  emails?: string | string[];
  department?: string | string[];
  departments?: string | string[];
  dueKind: RuleDue['kind'];
  dueDate: string;
  dueDays: string;
  newHireWithinDays: string;
}

const MAX_EMAILS = 500;

function wholeNumber(text: string, max: number): number | null {
  return /^\d{1,4}$/.test(text.trim()) && Number(text) <= max ? Number(text) : null;
}

function listOf(
  values: string | string[] | undefined,
  separator: RegExp,
  normalise: (s: string) => string = (s) => s,
): string[] {
  return [
    ...new Set(
      [values ?? '']
        .flat()
        .flatMap((text) => text.split(separator))
        .map((s) => normalise(s.trim()))
        .filter(Boolean),
    ),
  ];
}

/** The e-mail addresses an "individual people" form names (lower-cased, once each, at most 500 looked up). */
export function ruleFormEmails(form: Pick<RuleForm, 'targetKind' | 'emails'>): string[] {
  if (form.targetKind !== 'individuals') return [];
  return listOf(form.emails, /[\s,;]+/, (e) => e.toLowerCase());
}

function parseTarget(
  form: RuleForm,
  userIdOf: (email: string) => string | undefined,
  errors: FieldError[],
): RuleTarget {
  if (form.targetKind === 'departments') {
    const picked = listOf(form.department, /\n/);
    const departments = [...new Set([...picked, ...listOf(form.departments, /[\n,]/)])];
    if (!departments.length) errors.push({ field: 'departments', message: 'hr.assign.errors.departments' });
    return { kind: 'departments', departments };
  }
  if (form.targetKind !== 'individuals') return { kind: 'everyone' };
  const emails = ruleFormEmails(form);
  if (!emails.length || emails.length > MAX_EMAILS)
    errors.push({ field: 'emails', message: 'hr.assign.errors.emailCount', values: { max: MAX_EMAILS } });
  const found = emails.slice(0, MAX_EMAILS).map(userIdOf);
  const unknown = emails.filter((_, i) => !found[i]);
  if (unknown.length)
    errors.push({
      field: 'emails',
      message: 'hr.assign.errors.unknownEmails',
      values: { emails: unknown.slice(0, 10).join(', ') },
    });
  return { kind: 'individuals', userIds: found.filter((id): id is string => !!id) };
}

function parseDue(form: RuleForm, errors: FieldError[]): RuleDue | null {
  if (form.dueKind === 'fixed') {
    const date = parseDay(form.dueDate);
    if (date) return { kind: 'fixed', date };
    errors.push({ field: 'dueDate', message: 'hr.assign.errors.dueDate' });
    return null;
  }
  const days = wholeNumber(form.dueDays, 3650);
  if (days !== null) return { kind: form.dueKind, days };
  errors.push({ field: 'dueDays', message: 'hr.assign.errors.dueDays' });
  return null;
}

/**
 * Reads HR's rule form into a rule, or every field error at once (course, who, due date, new-hire
 * limit, in form order). Pure: the caller looks up the e-mails (`ruleFormEmails`) and the course
 * first. The due date's own check (`dueProblem`) comes last, once the rest of the form reads.
 */
export function parseRuleForm(
  form: RuleForm,
  facts: { courseExists: boolean; userIdOf: (email: string) => string | undefined; now: Date },
): { rule: RuleInput } | { errors: FieldError[] } {
  const errors = courseProblem(facts.courseExists);
  const target = parseTarget(form, facts.userIdOf, errors);
  const due = parseDue(form, errors);
  const hireText = form.newHireWithinDays.trim();
  const newHireWithinDays = hireText ? wholeNumber(hireText, 3650) : null;
  if (hireText && newHireWithinDays === null)
    errors.push({ field: 'newHireWithinDays', message: 'hr.assign.errors.newHireDays' });
  if (!errors.length && due) errors.push(...dueProblem(due, facts.now));
  if (errors.length || !due) return { errors };
  return { rule: { courseId: form.courseId, target, due, newHireWithinDays } };
}

/** HR's "extend one person's due date" form. */
export interface ExtendForm {
  /** The picked person (absent when nobody is picked). */
  email?: string;
  courseId: string;
  dueDate: string;
  reason: string;
}

/** Reads the extension form, given the person its e-mail names (null: nobody has it). */
export function parseExtendForm(
  form: ExtendForm,
  personId: string | null,
):
  | { extension: { userId: string; courseId: string; dueAt: Date; reason: string } }
  | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!personId) errors.push({ field: 'extend-email', message: 'hr.assign.errors.unknownEmail' });
  const dueAt = parseDay(form.dueDate);
  if (!dueAt) errors.push({ field: 'extend-dueDate', message: 'hr.assign.errors.newDueDate' });
  if (!form.reason.trim()) errors.push({ field: 'extend-reason', message: 'hr.assign.errors.reason' });
  if (errors.length || !personId || !dueAt) return { errors };
  return { extension: { userId: personId, courseId: form.courseId, dueAt, reason: form.reason.trim() } };
}
