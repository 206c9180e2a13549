import { formatDateTime, formatDay } from '../../domain/display-dates.js';

/** Date formatters handed to views (dates are shown in UTC so records read the same everywhere). */
export const fmt = {
  day: (d: Date | null | undefined) => (d ? formatDay(d) : ''),
  time: (d: Date | null | undefined) => (d ? formatDateTime(d) : ''),
};
