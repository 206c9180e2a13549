/**
 * The status CSV's columns and rows, made safe for spreadsheets. Pure: export.ts streams the
 * assignments past these.
 */

export const STATUS_CSV_COLUMNS = [
  'employee id',
  'name',
  'email',
  'department',
  'manager',
  'course',
  'cycle',
  'state',
  'due',
  'completed',
  'expires',
  'score',
  'language',
] as const;

/**
 * The first characters that make a spreadsheet run a cell as a formula (OWASP "CSV injection"):
 * = + - @, tab, carriage return and line feed, plus their full-width forms (＝ ＋ － ＠, which
 * spreadsheets in East Asian locales accept as formula starts), the small forms (﹦ ﹢ ﹣ ﹫) and the
 * minus sign (−), which some spreadsheets convert to their ASCII twins on input.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212]/;

/**
 * A person named `=HYPERLINK(...)` could attack whoever opens the export, so cells that start like
 * a formula get a leading apostrophe, which spreadsheets show as text.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export interface StatusRowInput {
  employeeId?: string | null;
  name: string;
  email: string;
  department: string;
  manager: string;
  course: string;
  cycle: number;
  state: string;
  dueAt: Date | null;
  completedAt: Date | null;
  expiresAt: Date | null;
  score: number | null;
  /** The person's language code (es, de, …); '' when they chose none. */
  language: string;
}

const isoDay = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');

export function statusCsvRow(r: StatusRowInput): string[] {
  return [
    r.employeeId ?? '',
    r.name,
    r.email,
    r.department,
    r.manager,
    r.course,
    String(r.cycle),
    r.state,
    isoDay(r.dueAt),
    isoDay(r.completedAt),
    isoDay(r.expiresAt),
    r.score === null ? '' : String(r.score),
    r.language,
  ].map(neutraliseCell);
}
