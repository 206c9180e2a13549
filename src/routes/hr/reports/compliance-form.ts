import { dayKey } from '../../../domain/dates.js';
import { lastQuarter, type PeriodError } from '../../../domain/reporting/period.js';
import { stateLabels, type Translate } from '../../../domain/state-labels.js';

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

/** What views/hr/reports/compliance.eta lays out, in the page's language. */
export function complianceFormView(
  values: ComplianceFormValues,
  departments: readonly string[],
  now: Date,
  t: Translate,
  errors: readonly PeriodError[] = [],
) {
  return {
    values,
    max: dayKey(now),
    errorOf: Object.fromEntries(errors.map((e) => [e.field, t(e.message)])) as Partial<
      Record<PeriodError['field'], string>
    >,
    departments: [
      { value: '', label: t('reports.compliance.allDepartments') },
      ...departments.map((d) => ({ value: d, label: d })),
      // A department typed into the address that no summary lists yet is kept, not silently dropped.
      ...(values.department && !departments.includes(values.department)
        ? [{ value: values.department, label: values.department }]
        : []),
    ],
  };
}

/** The period errors as the error summary shows them: each message in the page's language. */
export const translatedErrors = (errors: readonly PeriodError[], t: Translate): PeriodError[] =>
  errors.map((e) => ({ ...e, message: t(e.message) }));

/** The status CSV form's state choices, in the page's language. */
export const reportStates = (t: Translate) =>
  Object.entries(stateLabels(t)).map(([value, label]) => ({ value, label }));
