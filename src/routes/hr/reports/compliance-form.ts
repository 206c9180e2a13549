import { dayKey } from '../../../domain/dates.js';
import { lastQuarter, type PeriodError } from '../../../domain/reporting/period.js';

/** The compliance report form's values as typed (strings), so a wrong date is shown as it was sent. */
export interface ComplianceFormValues {
  from: string;
  to: string;
  department: string;
}

/** The form as first shown: last quarter, every department (one click downloads what auditors ask for). */
export function defaultComplianceValues(now: Date): ComplianceFormValues {
  const q = lastQuarter(now);
  return { from: dayKey(q.from), to: dayKey(q.to), department: '' };
}

/** What views/hr/reports/compliance.eta lays out. */
export function complianceFormView(
  values: ComplianceFormValues,
  departments: readonly string[],
  now: Date,
  errors: readonly PeriodError[] = [],
) {
  return {
    values,
    max: dayKey(now),
    errorOf: Object.fromEntries(errors.map((e) => [e.field, e.message])) as Partial<
      Record<PeriodError['field'], string>
    >,
    departments: [
      { value: '', label: 'All departments' },
      ...departments.map((d) => ({ value: d, label: d })),
      // A department typed into the address that no summary lists yet is kept, not silently dropped.
      ...(values.department && !departments.includes(values.department)
        ? [{ value: values.department, label: values.department }]
        : []),
    ],
  };
}
