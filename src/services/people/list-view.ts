import { driverCollection } from '../../db/driver-collection.js';
import { assignmentKey } from '../../db/keys.js';
import type { Models } from '../../db/models/index.js';
import type { AssignmentDoc, CycleDoc } from '../../db/models/training.js';
import { type Held, peopleDirectory } from '../../db/people-directory.js';
import { findManyById, LOOKUP_CONCURRENCY } from '../../db/repositories/by-id.js';
import { expiringWindow, isExpiringCompletion } from '../../domain/expiring.js';
import {
  comparePeople,
  earliestDue,
  type ListedPerson,
  type PeopleFilters,
  personMatches,
  type TrainingCell,
  type TrainingSummary,
  trainingCell,
  trainingMatches,
} from '../../domain/people/list-filters.js';
import { inPool } from '../../domain/pool.js';
import type { ServiceContext } from '../context.js';
import { DIRECTORY_MAX_AGE_MS, PEOPLE_PAGE_SIZE } from './people.js';

/**
 * HR's people list as a working view: the in-memory directory filtered by the person's fields,
 * and, only when a state filter or the due-date sort asks for it, one pass over the assignments'
 * summary states (the sweep keeps them; nothing is recomputed per person). A page's training
 * column is then read by `_id`, one assignment per person and course.
 */

const TRAINING_FIELDS = { userId: 1, courseId: 1, state: 1, dueAt: 1, expiresAt: 1, active: 1 } as const;

/** Every active assignment's summary (of one course, when the filters name one), by person. */
async function trainingByPerson(models: Models, courseId: string): Promise<Map<string, TrainingSummary[]>> {
  const byPerson = new Map<string, TrainingSummary[]>();
  const cursor = driverCollection(models.Assignment).find<TrainingSummary>(
    { active: true, ...(courseId ? { courseId } : {}) },
    { projection: TRAINING_FIELDS, batchSize: 2000 },
  );
  for await (const a of cursor) {
    const own = byPerson.get(a.userId);
    if (own) own.push(a);
    else byPerson.set(a.userId, [a]);
  }
  return byPerson;
}

type ExpiringFacts = Pick<CycleDoc, 'userId' | 'courseId' | 'n' | 'expiresAt'>;

/**
 * The people with a certificate expiring soon (of one course, when the filters name one), by the
 * rule HR home counts them with: cycles whose expiry falls in the window, their assignments by `_id`.
 */
async function expiringPeople(models: Models, courseId: string, now: Date): Promise<Set<string>> {
  const { from, to } = expiringWindow(now);
  const cycles = await models.Cycle.find(
    { expiresAt: { $gte: from, $lte: to }, ...(courseId ? { courseId } : {}) },
    { userId: 1, courseId: 1, n: 1, expiresAt: 1 },
  ).lean<ExpiringFacts[]>();
  const assignments = new Map(
    (
      await findManyById<AssignmentDoc>(
        models.Assignment,
        cycles.map((c) => assignmentKey(c.userId, c.courseId)),
      )
    ).map((a) => [a._id, a]),
  );
  const people = new Set<string>();
  for (const c of cycles)
    if (isExpiringCompletion(c, assignments.get(assignmentKey(c.userId, c.courseId)), now))
      people.add(c.userId);
  return people;
}

const listed = (h: Held): ListedPerson => ({
  ...h.entry,
  department: h.entry.department ?? '',
  managerId: h.entry.managerId ?? null,
});

/** The people the filters select, sorted; `training` is present when the filters needed it. */
export async function selectPeople(
  ctx: Pick<ServiceContext, 'models'>,
  input: { filters: PeopleFilters; now: Date },
): Promise<{ people: ListedPerson[]; training: Map<string, TrainingSummary[]> | null }> {
  const f = input.filters;
  const everyone = await peopleDirectory(ctx.models).everyone(input.now.getTime(), DIRECTORY_MAX_AGE_MS);
  const needsTraining = (f.state !== '' && f.state !== 'expiring') || f.sort === 'due';
  const [training, expiring] = await Promise.all([
    needsTraining ? trainingByPerson(ctx.models, f.course) : null,
    f.state === 'expiring' ? expiringPeople(ctx.models, f.course, input.now) : null,
  ]);
  const people: ListedPerson[] = [];
  for (const h of everyone) {
    const p = listed(h);
    if (!personMatches(f, p, h.text)) continue;
    if (training && !trainingMatches(f, training.get(p._id) ?? [])) continue;
    if (expiring && !expiring.has(p._id)) continue;
    people.push(p);
  }
  if (f.sort !== 'name') {
    const due = (id: string) => earliestDue(f, training?.get(id) ?? []);
    people.sort(comparePeople(f.sort, due));
  }
  return { people, training };
}

/** The assignments of these people and courses, by assignment key, from a pass's summaries by person. */
export function pickTraining(
  byPerson: ReadonlyMap<string, readonly TrainingSummary[]>,
  userIds: readonly string[],
  courseIds: readonly string[],
): Map<string, TrainingSummary> {
  const courses = new Set(courseIds);
  const found = new Map<string, TrainingSummary>();
  for (const id of userIds)
    for (const a of byPerson.get(id) ?? [])
      if (courses.has(a.courseId)) found.set(assignmentKey(a.userId, a.courseId), a);
  return found;
}

/** Above this many look-ups, one pass over the assignments beats reading each by `_id`. */
export const BY_ID_MAX = 2000;

/**
 * Each person's active assignment to each course, by assignment key (inactive ones may be left
 * out): read by `_id` for a page or a small selection, in one pass over the active assignments for a large one.
 */
export async function trainingOf(
  models: Models,
  userIds: readonly string[],
  courseIds: readonly string[],
): Promise<Map<string, TrainingSummary>> {
  const found = new Map<string, TrainingSummary>();
  if (userIds.length * courseIds.length > BY_ID_MAX)
    return pickTraining(await trainingByPerson(models, ''), userIds, courseIds);
  const keys = userIds.flatMap((id) => courseIds.map((c) => assignmentKey(id, c)));
  await inPool(keys, LOOKUP_CONCURRENCY, async (_id) => {
    const a = await driverCollection(models.Assignment).findOne<TrainingSummary>(
      { _id },
      { projection: TRAINING_FIELDS },
    );
    if (a) found.set(_id, a);
  });
  return found;
}

export interface PeopleRow {
  person: ListedPerson;
  managerName: string;
  cells: TrainingCell[];
}

export interface PeopleView {
  rows: PeopleRow[];
  page: number;
  hasNext: boolean;
  total: number;
  courses: { id: string; title: string }[];
  departments: string[];
  managers: { id: string; name: string }[];
}

/** The filter choices: the departments people are in, and the people who manage someone. */
async function choices(models: Models, now: Date) {
  const everyone = await peopleDirectory(models).everyone(now.getTime(), DIRECTORY_MAX_AGE_MS);
  const departments = new Set<string>();
  const managerIds = new Set<string>();
  const names = new Map<string, string>();
  for (const h of everyone) {
    if (h.entry.department) departments.add(h.entry.department);
    if (h.entry.managerId) managerIds.add(h.entry.managerId);
    names.set(h.entry._id, h.entry.name);
  }
  const managers = [...managerIds]
    .map((id) => ({ id, name: names.get(id) ?? id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { departments: [...departments].sort((a, b) => a.localeCompare(b)), managers, names };
}

/** One page of the people list with its training column, the filter choices and the total. */
export async function peopleView(
  ctx: Pick<ServiceContext, 'models' | 'courses'>,
  input: { filters: PeopleFilters; page: number; now: Date },
): Promise<PeopleView> {
  const { people } = await selectPeople(ctx, input);
  const skip = (input.page - 1) * PEOPLE_PAGE_SIZE;
  const shown = people.slice(skip, skip + PEOPLE_PAGE_SIZE);
  const courses = [...ctx.courses.values()]
    .filter((c) => !input.filters.course || c.id === input.filters.course)
    .map((c) => ({ id: c.id, title: c.title }));
  const [training, picks] = await Promise.all([
    trainingOf(
      ctx.models,
      shown.map((p) => p._id),
      courses.map((c) => c.id),
    ),
    choices(ctx.models, input.now),
  ]);
  const rows = shown.map((person) => ({
    person,
    managerName: person.managerId ? (picks.names.get(person.managerId) ?? '') : '',
    cells: courses.map((c) => trainingCell(training.get(assignmentKey(person._id, c.id)) ?? null)),
  }));
  return {
    rows,
    page: input.page,
    hasNext: people.length > skip + PEOPLE_PAGE_SIZE,
    total: people.length,
    courses,
    departments: picks.departments,
    managers: picks.managers,
  };
}
