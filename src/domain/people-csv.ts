import { parseDay } from './dates.js';
import { LANGUAGES, type Language, shippedLanguage } from './i18n/languages.js';
import { keyWords, type WordValues } from './i18n/words.js';
import { regionWords } from './jurisdictions.js';
import { REGIONS, type Region } from './org-profile.js';
import { isValidEmail, normaliseEmail } from './roles.js';

/**
 * Rules for the people CSV (email, name, employee id, department, manager email, hire date,
 * locale, active) and the dry-run plan that compares it with the people we have. Pure: the caller
 * parses the file and passes a snapshot of existing people.
 */

/**
 * Why a row is rejected: a people.import.reason.* catalogue key with its values, so the preview
 * (and the CLI) words it in the reader's language. The CSV's column names stay English (machine format).
 */
export interface RowReason {
  key: string;
  /** Its values; a region's name is a catalogue key the page words (domain/i18n/words.ts). */
  values?: WordValues;
}
const reason = (name: string, values?: RowReason['values']): RowReason => ({
  key: `people.import.reason.${name}`,
  ...(values ? { values } : {}),
});

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

export const COLUMNS = [
  'email',
  'name',
  'employeeId',
  'department',
  'managerEmail',
  'hireDate',
  'locale',
  'active',
  'region',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Header spellings we accept, compared after lower-casing and removing spaces, dashes and underscores. */
const HEADER_ALIASES: Record<string, Column> = {
  email: 'email',
  emailaddress: 'email',
  name: 'name',
  fullname: 'name',
  employeeid: 'employeeId',
  employeenumber: 'employeeId',
  department: 'department',
  manageremail: 'managerEmail',
  manager: 'managerEmail',
  hiredate: 'hireDate',
  locale: 'locale',
  language: 'locale',
  active: 'active',
  region: 'region',
  country: 'region',
};

/**
 * Why a whole file is refused, as a catalogue key (`people.import.file.*`) with its values: HR's
 * page words it in the reader's language, the command line in English. The message is the key.
 */
export class CsvFormatError extends Error {
  constructor(
    readonly key: string,
    readonly values?: WordValues,
  ) {
    super(key);
  }
}

/** Maps header cells to columns; unknown or repeated headers and missing email/name are errors. */
export function mapHeader(cells: string[]): Column[] {
  const seen = new Set<Column>();
  const columns = cells.map((cell) => {
    const key = cell
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '');
    const column = HEADER_ALIASES[key];
    if (!column)
      throw new CsvFormatError('people.import.file.unknownColumn', { column: cell.trim().slice(0, 40) });
    if (seen.has(column))
      throw new CsvFormatError('people.import.file.repeatedColumn', { column: cell.trim().slice(0, 40) });
    seen.add(column);
    return column;
  });
  for (const required of ['email', 'name'] as const) {
    if (!seen.has(required))
      throw new CsvFormatError('people.import.file.missingColumn', { column: required });
  }
  return columns;
}

export interface ImportRow {
  email: string;
  name: string;
  employeeId: string | null;
  department: string;
  managerEmail: string | null;
  hireDate: Date | null;
  /** A shipped language code or '' (not chosen); absent when the file has no language column (it stays). */
  locale?: string;
  active: boolean;
  /** Absent when the file has no region column (the person's region stays); null when the cell is empty. */
  region?: Region | null;
}

const EMPLOYEE_ID = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

/** The one employee ID rule (CSV import and the person form): letters, digits, ".", "/", "_", "-"; at most 40. */
export function isValidEmployeeId(employeeId: string): boolean {
  return EMPLOYEE_ID.test(employeeId);
}

/**
 * The one region rule (CSV import and the person form): empty (null: the person sees the notices of
 * every region the profile enables) or a region code, in any case, that the organisation profile
 * enables (`enabled`; any region while it names none). `notEnabled` names a region code the profile
 * does not enable.
 */
export function parseRegion(
  text: string,
  enabled: readonly Region[] = [],
): { region: Region | null } | { error: RowReason; notEnabled?: Region } {
  const code = text.trim().toLowerCase();
  if (code === '') return { region: null };
  const shown = text.trim().slice(0, 20);
  if (!(REGIONS as readonly string[]).includes(code))
    return { error: reason('regionUnknown', { text: shown, regions: REGIONS.join(', ') }) };
  const region = code as Region;
  if (enabled.length === 0 || enabled.includes(region)) return { region };
  // "uk (the United Kingdom), eu (the EU and EEA)": the code the file needs, then its name.
  const named = REGIONS.filter((r) => enabled.includes(r)).map((r) =>
    keyWords('people.import.reason.regionCode', { code: r, name: regionWords(r) }),
  );
  return {
    error: reason('regionNotEnabled', { text: shown, regions: { list: named, join: 'comma' } }),
    notEnabled: region,
  };
}

/**
 * The one language rule (CSV import and the person form): empty (not chosen: the browser's language
 * or the organisation's default applies) or a language the product ships, in any case; a regional
 * code of a shipped language ("es-MX") is that language.
 */
export function parseLanguage(text: string): { language: Language | '' } | { error: RowReason } {
  const code = text.trim();
  if (code === '') return { language: '' };
  const language = shippedLanguage(code);
  if (language) return { language };
  return { error: reason('language', { code: code.slice(0, 20), languages: LANGUAGES.join(', ') }) };
}
const TRUE = new Set(['', 'yes', 'y', 'true', '1', 'active']);
const FALSE = new Set(['no', 'n', 'false', '0', 'inactive']);

/** Validates one data row (cells keyed by column); returns the clean row or every reason it is rejected. */
export function validateRow(
  cells: Partial<Record<Column, string>>,
  regions: readonly Region[] = [],
): { row: ImportRow } | { reasons: RowReason[] } {
  const get = (c: Column) => (cells[c] ?? '').trim();
  const reasons: RowReason[] = [];
  const email = normaliseEmail(get('email'));
  if (!email) reasons.push(reason('emailMissing'));
  else if (!isValidEmail(email)) reasons.push(reason('emailInvalid', { email: email.slice(0, 80) }));
  const name = get('name').replace(/\s+/g, ' ');
  if (!name) reasons.push(reason('nameMissing'));
  else if (name.length > 200) reasons.push(reason('nameLong'));
  const employeeId = get('employeeId');
  if (employeeId && !isValidEmployeeId(employeeId)) {
    reasons.push(reason('employeeId'));
  }
  const department = get('department').replace(/\s+/g, ' ');
  if (department.length > 100) reasons.push(reason('departmentLong'));
  const managerEmail = normaliseEmail(get('managerEmail'));
  if (managerEmail && !isValidEmail(managerEmail))
    reasons.push(reason('managerInvalid', { email: managerEmail.slice(0, 80) }));
  if (managerEmail && managerEmail === email) reasons.push(reason('ownManager'));
  const hireText = get('hireDate');
  const hireDate = hireText ? parseDay(hireText) : null;
  if (hireText && !hireDate) reasons.push(reason('hireDate', { text: hireText.slice(0, 20) }));
  const language = cells.locale === undefined ? undefined : parseLanguage(cells.locale);
  if (language && 'error' in language) reasons.push(language.error);
  const activeText = get('active').toLowerCase();
  if (!TRUE.has(activeText) && !FALSE.has(activeText))
    reasons.push(reason('active', { text: activeText.slice(0, 20) }));
  const region = cells.region === undefined ? undefined : parseRegion(cells.region, regions);
  if (region && 'error' in region) reasons.push(region.error);
  if (reasons.length) return { reasons };
  return {
    row: {
      email,
      name,
      employeeId: employeeId || null,
      department,
      managerEmail: managerEmail || null,
      hireDate,
      ...(language && 'language' in language ? { locale: language.language } : {}),
      active: !FALSE.has(activeText),
      ...(region && 'region' in region ? { region: region.region } : {}),
    },
  };
}

export interface ExistingPerson {
  _id: string;
  email: string;
  name: string;
  employeeId?: string | null;
  department: string;
  managerId?: string | null;
  hireDate?: Date | null;
  locale: string;
  active: boolean;
  role: string;
  region?: string | null;
}

/** The fields HR manages for a person (CSV import and the person form); `employeeId: null` keeps any existing id. */
export interface PlannedPerson {
  email: string;
  name: string;
  employeeId: string | null;
  department: string;
  managerId: string | null;
  hireDate: Date | null;
  locale: string;
  active: boolean;
  /** Absent: keep the person's region (a CSV without the column); null: none. */
  region?: Region | null;
}

export interface PlanChange {
  line: number;
  action: 'create' | 'update';
  userId: string;
  person: PlannedPerson;
  fields: string[];
}

export interface ImportPlan {
  changes: PlanChange[];
  unchanged: number;
  rejected: Array<{ line: number; email: string; reasons: RowReason[] }>;
  deactivate: Array<{ userId: string; email: string; name: string }>;
}

const sameDay = (a: Date | null | undefined, b: Date | null | undefined) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

function changedFields(before: ExistingPerson, after: PlannedPerson): string[] {
  const fields: string[] = [];
  if (before.email !== after.email) fields.push('email');
  if (before.name !== after.name) fields.push('name');
  if (after.employeeId !== null && (before.employeeId ?? null) !== after.employeeId)
    fields.push('employeeId');
  if (before.department !== after.department) fields.push('department');
  if ((before.managerId ?? null) !== after.managerId) fields.push('managerId');
  if (!sameDay(before.hireDate, after.hireDate)) fields.push('hireDate');
  if (before.locale !== after.locale) fields.push('locale');
  if (before.active !== after.active) fields.push('active');
  if (after.region !== undefined && (before.region ?? null) !== after.region) fields.push('region');
  return fields;
}

interface ValidRow {
  line: number;
  row: ImportRow;
  match: ExistingPerson | null;
}

/** The people we have, by e-mail and by employee id. */
interface Known {
  everyone: ExistingPerson[];
  byEmail: Map<string, ExistingPerson>;
  byEmployeeId: Map<string, ExistingPerson>;
}

function indexPeople(existing: Iterable<ExistingPerson>): Known {
  const known: Known = { everyone: [], byEmail: new Map(), byEmployeeId: new Map() };
  for (const p of existing) {
    known.everyone.push(p);
    known.byEmail.set(p.email, p);
    if (p.employeeId) known.byEmployeeId.set(p.employeeId, p);
  }
  return known;
}

/**
 * Validates every row and matches it to a known person (by employee id, then e-mail): rows that
 * repeat an e-mail or employee id of an earlier row, or whose e-mail belongs to someone other than
 * their employee id, are rejected.
 */
function checkRows(
  rows: Array<{ line: number; cells: Partial<Record<Column, string>> }>,
  known: Known,
  regions: readonly Region[],
): { valid: ValidRow[]; rejected: ImportPlan['rejected'] } {
  const rejected: ImportPlan['rejected'] = [];
  const valid: ValidRow[] = [];
  const firstLineOfEmail = new Map<string, number>();
  const firstLineOfEmployeeId = new Map<string, number>();

  for (const { line, cells } of rows) {
    const result = validateRow(cells, regions);
    const email = normaliseEmail(cells.email ?? '').slice(0, 254);
    if ('reasons' in result) {
      rejected.push({ line, email, reasons: result.reasons });
      continue;
    }
    const { row } = result;
    const reasons: RowReason[] = [];
    const dupEmail = firstLineOfEmail.get(row.email);
    if (dupEmail !== undefined) reasons.push(reason('duplicateEmail', { line: dupEmail }));
    const dupId = row.employeeId ? firstLineOfEmployeeId.get(row.employeeId) : undefined;
    if (dupId !== undefined) reasons.push(reason('duplicateEmployeeId', { line: dupId }));
    if (!firstLineOfEmail.has(row.email)) firstLineOfEmail.set(row.email, line);
    if (row.employeeId && !firstLineOfEmployeeId.has(row.employeeId))
      firstLineOfEmployeeId.set(row.employeeId, line);

    const byId = row.employeeId ? (known.byEmployeeId.get(row.employeeId) ?? null) : null;
    const emailHolder = known.byEmail.get(row.email) ?? null;
    const match = byId ?? emailHolder;
    if (byId && emailHolder && emailHolder._id !== byId._id) {
      reasons.push(reason('emailOtherPerson', { name: emailHolder.name, employeeId: row.employeeId ?? '' }));
    }
    if (reasons.length) rejected.push({ line, email: row.email, reasons });
    else valid.push({ line, row, match });
  }
  return { valid, rejected };
}

/**
 * Managers must be known people or people this file creates or keeps; a rejected manager rejects
 * their reports in turn, so repeat until nothing changes. Rejections are added to `rejected`.
 */
function withKnownManagers(
  valid: ValidRow[],
  ids: Map<number, string>,
  known: Known,
  rejected: ImportPlan['rejected'],
): ValidRow[] {
  let accepted = valid;
  for (;;) {
    const inFile = new Map(accepted.map((v) => [v.row.email, ids.get(v.line)!]));
    const next = accepted.filter((v) => {
      const m = v.row.managerEmail;
      if (!m || inFile.has(m) || known.byEmail.has(m)) return true;
      rejected.push({
        line: v.line,
        email: v.row.email,
        reasons: [reason('unknownManager', { email: m })],
      });
      return false;
    });
    if (next.length === accepted.length) return accepted;
    accepted = next;
  }
}

/** The creates and updates of the accepted rows, how many change nothing, and whom they name. */
function planChanges(
  accepted: ValidRow[],
  ids: Map<number, string>,
  known: Known,
): { changes: PlanChange[]; unchanged: number; seen: Set<string> } {
  const managerIds = new Map(accepted.map((v) => [v.row.email, ids.get(v.line)!]));
  const changes: PlanChange[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const v of accepted) {
    const userId = ids.get(v.line)!;
    seen.add(userId);
    const { managerEmail, ...rest } = v.row;
    const managerId = managerEmail
      ? (managerIds.get(managerEmail) ?? known.byEmail.get(managerEmail)!._id)
      : null;
    // No language column: the person's language stays as it is.
    const person: PlannedPerson = { ...rest, locale: rest.locale ?? v.match?.locale ?? '', managerId };
    if (!v.match) {
      changes.push({ line: v.line, action: 'create', userId, person, fields: [] });
      continue;
    }
    const fields = changedFields(v.match, person);
    if (fields.length) changes.push({ line: v.line, action: 'update', userId, person, fields });
    else unchanged += 1;
  }
  return { changes, unchanged, seen };
}

/**
 * The dry run: which rows create or update someone, which change nothing, which are rejected and
 * why, and (optionally) which active employees are missing from the file. People are matched by
 * employee id, then by email. New people get their id now (`newId`), so applying the plan twice
 * creates the same people, and managers created by the same file resolve to those ids.
 */
export function planImport(
  rows: Array<{ line: number; cells: Partial<Record<Column, string>> }>,
  existing: Iterable<ExistingPerson>,
  opts: {
    deactivateMissing: boolean;
    newId: () => string;
    /** The regions the organisation profile enables (none: any region is accepted). */
    regions?: readonly Region[];
  },
): ImportPlan {
  const known = indexPeople(existing);
  const { valid, rejected } = checkRows(rows, known, opts.regions ?? []);
  const ids = new Map<number, string>(valid.map((v) => [v.line, v.match?._id ?? opts.newId()]));
  const accepted = withKnownManagers(valid, ids, known, rejected);
  const { changes, unchanged, seen } = planChanges(accepted, ids, known);
  // A person whose row was rejected is still "in the file": never deactivate them for it.
  for (const r of rejected) {
    const holder = known.byEmail.get(r.email);
    if (holder) seen.add(holder._id);
  }
  const deactivate = opts.deactivateMissing
    ? known.everyone
        .filter((p) => p.active && p.role === 'employee' && !seen.has(p._id))
        .map((p) => ({ userId: p._id, email: p.email, name: p.name }))
    : [];
  rejected.sort((a, b) => a.line - b.line);
  return { changes, unchanged, rejected, deactivate };
}
