import { addDays, parseDay, utcDay } from '../dates.js';

/** A report's period: whole UTC days, both ends included. */
export interface ReportPeriod {
  from: Date;
  to: Date;
}

export interface PeriodError {
  field: 'from' | 'to';
  /** The catalogue message (reports.json); pages show it in the reader's language. */
  message: string;
}

/** The calendar quarter before the one `now` is in: what an auditor asks for most often. */
export function lastQuarter(now: Date): ReportPeriod {
  const quarterStart = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1);
  const start = new Date(quarterStart);
  return {
    from: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 3, 1)),
    to: addDays(start, -1),
  };
}

/** The instant just after the period's last day: records before it fall in the period. */
export function periodEnd(period: ReportPeriod): Date {
  return addDays(period.to, 1);
}

/**
 * The report form's dates (`YYYY-MM-DD`, as `<input type="date">` sends them). Both empty means
 * last quarter; otherwise both must be real days, in order, and not in the future.
 */
export function parseReportPeriod(
  input: { from?: string; to?: string },
  now: Date,
): { ok: true; period: ReportPeriod } | { ok: false; errors: PeriodError[] } {
  const fromText = input.from?.trim() ?? '';
  const toText = input.to?.trim() ?? '';
  if (!fromText && !toText) return { ok: true, period: lastQuarter(now) };
  const from = parseDay(fromText);
  const to = parseDay(toText);
  const errors: PeriodError[] = [];
  if (!from) errors.push({ field: 'from', message: 'reports.errors.fromDate' });
  if (!to) errors.push({ field: 'to', message: 'reports.errors.toDate' });
  else if (to > utcDay(now)) errors.push({ field: 'to', message: 'reports.errors.future' });
  else if (from && to < from) errors.push({ field: 'to', message: 'reports.errors.order' });
  if (errors.length > 0 || !from || !to) return { ok: false, errors };
  return { ok: true, period: { from, to } };
}
