import type { FieldError } from './assignment-rules.js';

/** A name as people type it: spaces trimmed and collapsed, case and Unicode form ignored. */
function comparable(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/**
 * The confirmation step before erasing someone on request: HR types the person's name (so the
 * wrong row in a list cannot be erased by a slip) and ticks that they understand it cannot be
 * undone. Both are checked; the messages say what to do.
 */
export function erasureConfirmationErrors(input: {
  personName: string;
  typedName: string;
  confirmed: boolean;
}): (FieldError & { values?: Record<string, string> })[] {
  const errors: (FieldError & { values?: Record<string, string> })[] = [];
  if (comparable(input.typedName) !== comparable(input.personName)) {
    errors.push({
      field: 'typedName',
      message: 'privacy.errors.typeName',
      values: { name: input.personName },
    });
  }
  if (!input.confirmed) {
    errors.push({ field: 'confirm', message: 'privacy.errors.tickConfirm' });
  }
  return errors;
}
