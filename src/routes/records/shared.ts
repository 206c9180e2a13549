import { formatDateTime, formatDay } from '../../domain/display-dates.js';
import { type Language, SOURCE_LANGUAGE } from '../../domain/i18n/languages.js';
import { translator } from '../../i18n/translator.js';
import { noticeHeading, type PolicyText, paragraphsOf } from '../../services/records/policy-pdf.js';

/** Date formatters handed to views (dates are shown in UTC so records read the same everywhere). */
export const fmt = {
  day: (d: Date | null | undefined) => (d ? formatDay(d) : ''),
  time: (d: Date | null | undefined) => (d ? formatDateTime(d) : ''),
};

/**
 * A clause as the policy-clauses partial shows it: paragraphs, then each jurisdiction notice shown,
 * its heading ("Notice for staff in the United States") in the language of the text (`lang`), as
 * the policy PDF words it.
 */
export function clauseView<C extends PolicyText['clauses'][number]>(
  clause: C,
  lang: Language = SOURCE_LANGUAGE,
) {
  const t = translator(lang);
  return {
    ...clause,
    paragraphs: paragraphsOf(clause.text),
    notices: (clause.notices ?? []).map((n) => ({
      heading: noticeHeading(n.jurisdictions, t),
      paragraphs: paragraphsOf(n.text),
    })),
  };
}
