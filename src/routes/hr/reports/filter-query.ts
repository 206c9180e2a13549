import { type Static, Type } from 'typebox';
import type { Course } from '../../../domain/course.js';
import { MONTH_PATTERN, REPORT_STATES, type ReportFilter } from '../../../domain/reporting.js';

/**
 * Report filters as sent by the filter form (empty fields mean "any"); domain/reporting.ts
 * `parseReportQuery` turns them into a course and a filter.
 */
export const FilterQueryProps = {
  course: Type.Optional(Type.String({ maxLength: 80 })),
  department: Type.Optional(Type.String({ maxLength: 200 })),
  state: Type.Optional(Type.Union([Type.Literal(''), ...REPORT_STATES.map((s) => Type.Literal(s))])),
  from: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: MONTH_PATTERN })])),
  to: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: MONTH_PATTERN })])),
};

const FilterQuery = Type.Object(FilterQueryProps);
export type FilterQuery = Static<typeof FilterQuery>;

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
