/**
 * The assignments page's view model: both forms as filled in (with their errors), the departments
 * to tick, the people picked so far and, after a search without a script, the people it found.
 */
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { FieldError, RuleDue, RuleTarget } from '../../../domain/assignment-rules.js';
import type { Translator } from '../../../i18n/translator.js';
import { PERSON_SEARCH_LIMIT, type PersonMatch } from '../../../services/people/search.js';
import { localisedErrors } from '../../field-errors.js';
import { formBody, Slug, Text } from '../../form-schema.js';

/** A field of checkboxes: absent (none ticked), one value, or several. */
const Ticked = (maxLength: number, maxItems: number) =>
  Type.Optional(Type.Union([Text(maxLength), Type.Array(Text(maxLength), { maxItems })]));

/** The no-script search button's value: show the form again with the people found. */
const Intent = Type.Optional(Type.Literal('search'));
/**
 * Numbers and dates are checked by the domain with its own messages; the schema only bounds their
 * length, generously, so a number typed too long gets that message rather than a bare 400.
 */
const Typed = Text(20);

export const RuleBody = formBody({
  courseId: Slug,
  targetKind: Type.Union([
    Type.Literal('individuals'),
    Type.Literal('departments'),
    Type.Literal('everyone'),
  ]),
  // Typed addresses (older clients, one string) or the picker's ticked people (one value each).
  emails: Ticked(20_000, 1_000),
  department: Ticked(200, 1_000),
  departments: Type.Optional(Text(5_000)),
  peopleQuery: Type.Optional(Text(100)),
  dueKind: Type.Union([Type.Literal('fixed'), Type.Literal('after-assignment'), Type.Literal('after-hire')]),
  dueDate: Typed,
  dueDays: Typed,
  newHireWithinDays: Typed,
  intent: Intent,
});
export const ExtendBody = formBody({
  email: Type.Optional(Text(254)),
  extendQuery: Type.Optional(Text(100)),
  courseId: Slug,
  dueDate: Typed,
  reason: Text(500),
  intent: Intent,
});
export type RuleBodyType = Static<typeof RuleBody>;
export type ExtendBodyType = Static<typeof ExtendBody>;

const EMPTY_RULE: RuleBodyType = {
  courseId: '',
  targetKind: 'everyone',
  dueKind: 'after-assignment',
  dueDate: '',
  dueDays: '30',
  newHireWithinDays: '',
};
const EMPTY_EXTEND: ExtendBodyType = { courseId: '', dueDate: '', reason: '' };

export interface PageData {
  form?: RuleBodyType;
  errors?: FieldError[];
  extend?: ExtendBodyType;
  extendErrors?: FieldError[];
  done?: string | null;
  n?: number | null;
}

const listed = (v: string | string[] | undefined) =>
  [v ?? []]
    .flat()
    .flatMap((s) => s.split(/[\s,;]+/))
    .filter(Boolean);

/** A picker's state: who is picked, and (after a search) who was found that is not picked yet. */
interface Picker {
  query: string;
  picked: PersonMatch[];
  found: PersonMatch[] | null;
  /** What the search found, in words (the status line; the script writes the same). */
  status: string;
  /** The script's status words in the reader's language (public/js/person-picker.js reads them). */
  words: PickerWords;
}

interface PickerWords {
  /** "Nobody matches", with `{query}` for the script to fill. */
  nobody: string;
  failed: string;
  /** The status for 1…PERSON_SEARCH_LIMIT matches (index = count − 1): plurals are the catalogue's. */
  found: string[];
  /** The status when the search stopped at the limit with more to find. */
  more: string;
}

/** Every status the script can show, rendered here so plural rules stay in the catalogue. */
function pickerWords(i18n: Translator): PickerWords {
  const found = (count: number, more: boolean) =>
    i18n.t('hr.assign.picker.found', { count, more: more ? 'yes' : 'no' });
  return {
    nobody: i18n.t('hr.assign.picker.nobody', { query: '{query}' }),
    failed: i18n.t('hr.assign.picker.failed'),
    found: Array.from({ length: PERSON_SEARCH_LIMIT }, (_, i) => found(i + 1, false)),
    more: found(PERSON_SEARCH_LIMIT, true),
  };
}

function searchStatus(i18n: Translator, query: string, found: number, more: boolean): string {
  if (!query.trim()) return i18n.t('hr.assign.picker.empty');
  if (!found) return i18n.t('hr.assign.picker.nobody', { query: query.trim() });
  return i18n.t('hr.assign.picker.found', { count: found, more: more ? 'yes' : 'no' });
}

/** Who a rule catches, in the reader's language (department names are data). */
function whoText(i18n: Translator, target: RuleTarget): string {
  if (target.kind === 'individuals') return i18n.t('hr.assign.rule.people', { count: target.userIds.length });
  if (target.kind === 'everyone') return i18n.t('hr.assign.rule.everyone');
  return i18n.t('hr.assign.rule.departments', { departments: target.departments.join(', ') });
}

/** When a rule's assignments fall due, in the reader's language. */
function dueText(i18n: Translator, due: RuleDue): string {
  if (due.kind === 'fixed') return i18n.t('hr.assign.rule.dueFixed', { day: i18n.day(due.date) });
  const key = due.kind === 'after-assignment' ? 'dueAfterAssignment' : 'dueAfterHire';
  return i18n.t(`hr.assign.rule.${key}`, { days: due.days });
}

async function picker(
  app: FastifyInstance,
  i18n: Translator,
  emails: string[],
  query: string,
  search: boolean,
): Promise<Picker> {
  const now = app.clock.now();
  const picked = await app.services.people.pickedPeople({ emails, now });
  const words = pickerWords(i18n);
  if (!search) return { query, picked, found: null, status: '', words };
  const result = await app.services.people.searchPeople({ q: query, now });
  const isPicked = new Set(picked.map((p) => p.email));
  const found = result.people.filter((p) => !isPicked.has(p.email));
  const status = searchStatus(i18n, query, result.people.length, result.more);
  return { query, picked, found, status, words };
}

/** Everything the page shows. */
export async function assignmentsPage(app: FastifyInstance, i18n: Translator, data: PageData) {
  const form = data.form ?? EMPTY_RULE;
  const extend = data.extend ?? EMPTY_EXTEND;
  const [rules, departments, people, extendPeople] = await Promise.all([
    app.services.assignments.listRules(),
    app.services.people.departmentNames({ now: app.clock.now() }),
    picker(app, i18n, listed(form.emails), form.peopleQuery ?? '', form.intent === 'search'),
    picker(app, i18n, listed(extend.email), extend.extendQuery ?? '', extend.intent === 'search'),
  ]);
  const ticked = [form.department ?? []].flat();
  return {
    courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
    rules: rules.map((r) => ({
      ...r,
      courseTitle: app.courses.get(r.courseId)?.title ?? r.courseId,
      whoText: whoText(i18n, r.target),
      dueText: dueText(i18n, r.due),
    })),
    form,
    // A ticked department nobody is in any more stays offered (and ticked) rather than vanishing.
    departments: [...new Set([...departments, ...ticked])].map((name) => ({
      name,
      checked: ticked.includes(name),
    })),
    people,
    errors: localisedErrors(i18n, data.errors ?? []),
    extend,
    extendPeople,
    extendErrors: localisedErrors(i18n, data.extendErrors ?? []),
    done: data.done ?? null,
    n: data.n ?? null,
  };
}
