import { formatDay } from '../display-dates.js';
import type { CycleState } from '../recertification.js';
import { STATE_LABEL_KEYS, STATE_LABELS } from '../state-labels.js';
import { type LanguageFilter, languageFilterFrom, languageMatches } from './language.js';

/**
 * The HR people list as a working view: which people a set of filters selects, how they sort, and
 * what each training cell says. Pure: the service hands in the directory's people and the
 * assignments' summary states (never recomputed per person here).
 */

export const TRAINING_STATES = [
  'not-started',
  'in-progress',
  'completed',
  'due-soon',
  'overdue',
  'expired',
] as const satisfies readonly CycleState[];
export type TrainingState = (typeof TRAINING_STATES)[number];

/**
 * The state filter's values: a training state of the assignment summaries, or `expiring` (a
 * completion whose certificate ends within EXPIRING_WITHIN_DAYS, read from the cycles as HR
 * home counts it: see domain/expiring.ts).
 */
export const LIST_STATES = [...TRAINING_STATES, 'expiring'] as const;
export type ListState = (typeof LIST_STATES)[number];

export const PEOPLE_SORTS = ['name', 'department', 'due'] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

export const ACTIVE_CHOICES = ['all', 'yes', 'no'] as const;
export type ActiveChoice = (typeof ACTIVE_CHOICES)[number];

/** The list's GET query, every part optional (names agreed in /work/notes/people-filters.txt). */
export interface PeopleFilters {
  q: string;
  department: string;
  /** The manager's user id. */
  manager: string;
  state: ListState | '';
  course: string;
  active: ActiveChoice;
  sort: PeopleSort;
  /** The person's chosen language: a shipped one, 'none' (not set) or '' (anyone). */
  language: LanguageFilter;
}

/** The department filter's reserved value for people with no department (HR home's "No department" row). */
export const NO_DEPARTMENT = '(none)';

export const NO_FILTERS: PeopleFilters = {
  q: '',
  department: '',
  manager: '',
  state: '',
  course: '',
  active: 'all',
  sort: 'name',
  language: '',
};

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

/** Filters from a query (already shape-checked by the route): unknown values fall back to "any". */
export function filtersFrom(query: Partial<Record<keyof PeopleFilters, string>>): PeopleFilters {
  return {
    q: (query.q ?? '').trim(),
    department: query.department ?? '',
    manager: query.manager ?? '',
    state: isOneOf(LIST_STATES, query.state) ? query.state : '',
    course: query.course ?? '',
    active: isOneOf(ACTIVE_CHOICES, query.active) ? query.active : 'all',
    sort: isOneOf(PEOPLE_SORTS, query.sort) ? query.sort : 'name',
    language: languageFilterFrom(query.language),
  };
}

/** The query string of these filters (defaults left out), for paging and sorting links and forms. */
export function filterQuery(f: PeopleFilters, extra: { page?: number; sort?: PeopleSort } = {}): string {
  const params = new URLSearchParams();
  const sort = extra.sort ?? f.sort;
  for (const key of ['q', 'department', 'manager', 'state', 'course', 'language'] as const) {
    if (f[key]) params.set(key, f[key]);
  }
  if (f.active !== 'all') params.set('active', f.active);
  if (sort !== 'name') params.set('sort', sort);
  if (extra.page && extra.page > 1) params.set('page', String(extra.page));
  return params.toString();
}

/** Whether any filter (not the sort) narrows the list. */
export const isFiltered = (f: PeopleFilters) => filterQuery({ ...f, sort: 'name' }) !== '';

/** What the list knows of a person (the in-memory directory's entry). */
export interface ListedPerson {
  _id: string;
  name: string;
  email: string;
  employeeId?: string;
  department: string;
  managerId: string | null;
  role: string;
  active: boolean;
  /** The language the person chose ('' or absent: none). */
  locale?: string;
}

/** One assignment's summary, as the list reads it. */
export interface TrainingSummary {
  userId: string;
  courseId: string;
  state: string;
  dueAt: Date | null;
  expiresAt: Date | null;
  active: boolean;
}

/** The filters that need only the person. `text` is the person's searchable text, lower-cased. */
export function personMatches(f: PeopleFilters, p: ListedPerson, text: string): boolean {
  if (f.q && !text.includes(f.q.toLowerCase())) return false;
  if (f.department === NO_DEPARTMENT) {
    if (p.department) return false;
  } else if (f.department && p.department !== f.department) return false;
  if (f.manager && p.managerId !== f.manager) return false;
  if (f.active === 'yes' && !p.active) return false;
  if (f.active === 'no' && p.active) return false;
  if (!languageMatches(f.language, p.locale)) return false;
  return true;
}

/** The person's assignments the state filter and the "due" sort look at: active, of the course asked. */
export function relevantTraining(f: PeopleFilters, own: readonly TrainingSummary[]): TrainingSummary[] {
  return own.filter((a) => a.active && (!f.course || a.courseId === f.course));
}

/**
 * The state filter: some relevant assignment is in the state asked (no state asked: everyone;
 * `expiring` is decided from the cycles by the service, not the summaries).
 */
export function trainingMatches(f: PeopleFilters, own: readonly TrainingSummary[]): boolean {
  if (!f.state || f.state === 'expiring') return true;
  return relevantTraining(f, own).some((a) => a.state === f.state);
}

/** The earliest due date among the relevant assignments not completed (the "due" sort's key). */
export function earliestDue(f: PeopleFilters, own: readonly TrainingSummary[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (const a of relevantTraining(f, own)) {
    if (a.state === 'completed' || !a.dueAt) continue;
    best = Math.min(best, a.dueAt.getTime());
  }
  return best;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The comparator of a sort; ties by name, then id, so pages never overlap. */
export function comparePeople(
  sort: PeopleSort,
  dueOf: (id: string) => number,
): (a: ListedPerson, b: ListedPerson) => number {
  const byName = (a: ListedPerson, b: ListedPerson) => byText(a.name, b.name) || byText(a._id, b._id);
  if (sort === 'department') return (a, b) => byText(a.department, b.department) || byName(a, b);
  if (sort === 'due') return (a, b) => dueOf(a._id) - dueOf(b._id) || byName(a, b);
  return byName;
}

/**
 * What one training cell of the list says: the state's name and, where it matters, its date. `label`
 * is the English text (the CSV export's); pages show the catalogue message `key` with `{ day }`.
 */
export interface TrainingCell {
  state: string;
  label: string;
  key: string;
  day: Date | null;
}

const DUE_KEYS: Partial<Record<string, string>> = {
  overdue: 'states.overdueDue',
  'due-soon': 'states.dueSoonDue',
  'not-started': 'states.notStartedDue',
  'in-progress': 'states.inProgressDue',
};

export function trainingCell(
  a: Pick<TrainingSummary, 'state' | 'dueAt' | 'expiresAt' | 'active'> | null,
): TrainingCell {
  // i18n-ignore: `label` is the CSV export's English cell (machine format); pages use `key`
  if (!a?.active) return { state: 'none', label: 'Not assigned', key: 'states.notAssigned', day: null };
  const name = STATE_LABELS[a.state as CycleState] ?? a.state;
  const key = STATE_LABEL_KEYS[a.state as CycleState] ?? 'states.notAssigned';
  if (a.state === 'completed' && a.expiresAt)
    return {
      state: a.state,
      // i18n-ignore: the CSV export's English cell (machine format); pages use `key` and `day`
      label: `Completed until ${formatDay(a.expiresAt)}`,
      key: 'states.completedUntil',
      day: new Date(a.expiresAt),
    };
  if (a.state === 'expired' && a.expiresAt)
    return {
      state: a.state,
      // i18n-ignore: the CSV export's English cell (machine format); pages use `key` and `day`
      label: `Expired on ${formatDay(a.expiresAt)}`,
      key: 'states.expiredOn',
      day: new Date(a.expiresAt),
    };
  const dueKey = DUE_KEYS[a.state];
  if (dueKey && a.dueAt)
    return {
      state: a.state,
      label: `${name}, due ${formatDay(a.dueAt)}`,
      key: dueKey,
      day: new Date(a.dueAt),
    };
  return { state: a.state, label: name, key, day: null };
}

/** "3 people match", "1 person matches": the catalogue message and its count. */
export const matchSentence = (n: number) => ({ key: 'people.list.matches', values: { count: n } });
