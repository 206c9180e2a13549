import { type Static, Type } from 'typebox';
import type { Course } from '../../../domain/course.js';
import {
  MONTH_PATTERN,
  REPORT_STATES,
  type ReportFilter,
  type ReportState,
} from '../../../domain/reporting.js';
import { HttpError } from '../../../plugins/auth.js';

/** Report filters as sent by the filter form (empty fields mean "any"). */
export const FilterQueryProps = {
  course: Type.Optional(Type.String({ maxLength: 80 })),
  department: Type.Optional(Type.String({ maxLength: 200 })),
  state: Type.Optional(Type.Union([Type.Literal(''), ...REPORT_STATES.map((s) => Type.Literal(s))])),
  from: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: MONTH_PATTERN })])),
  to: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: MONTH_PATTERN })])),
};

const FilterQuery = Type.Object(FilterQueryProps);
export type FilterQuery = Static<typeof FilterQuery>;

export interface ParsedFilter {
  course: Course | undefined;
  filter: ReportFilter;
}

/** Turns the form's query into a filter; a bad combination is a 400 with a sentence HR can act on. */
export function parseFilter(
  query: FilterQuery,
  courses: ReadonlyMap<string, Course>,
  defaultCourse: boolean,
): ParsedFilter {
  let course: Course | undefined;
  if (query.course) {
    course = courses.get(query.course);
    if (!course) throw new HttpError(400, `There is no course "${query.course}". Pick one from the list.`);
  } else if (defaultCourse) {
    course = courses.values().next().value;
  }
  const filter: ReportFilter = {};
  if (query.department) filter.department = query.department;
  if (query.state) filter.state = query.state as ReportState;
  if (query.from) filter.fromMonth = query.from;
  if (query.to) filter.toMonth = query.to;
  if (filter.fromMonth && filter.toMonth && filter.fromMonth > filter.toMonth) {
    throw new HttpError(400, 'The "due from" month is after the "due to" month.');
  }
  return { course, filter };
}

/** The filter as query-string pairs, for pagination links and the export link. */
export function filterParams(course: Course | undefined, filter: ReportFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (course) p.set('course', course.id);
  if (filter.department !== undefined) p.set('department', filter.department);
  if (filter.state) p.set('state', filter.state);
  if (filter.fromMonth) p.set('from', filter.fromMonth);
  if (filter.toMonth) p.set('to', filter.toMonth);
  return p;
}
