import { formatDateTime, formatDay } from '../../domain/display-dates.js';
import { noticeHeading, type PolicyText, paragraphsOf } from '../../services/records/policy-pdf.js';

/** Date formatters handed to views (dates are shown in UTC so records read the same everywhere). */
export const fmt = {
  day: (d: Date | null | undefined) => (d ? formatDay(d) : ''),
  time: (d: Date | null | undefined) => (d ? formatDateTime(d) : ''),
};

/** A clause as the policy-clauses partial shows it: paragraphs, then each jurisdiction notice shown. */
export function clauseView<C extends PolicyText['clauses'][number]>(clause: C) {
  return {
    ...clause,
    paragraphs: paragraphsOf(clause.text),
    notices: (clause.notices ?? []).map((n) => ({
      heading: noticeHeading(n.jurisdictions),
      paragraphs: paragraphsOf(n.text),
    })),
  };
}
