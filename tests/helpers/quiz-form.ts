/**
 * Fills a quiz attempt page the way a hurried learner would: for every question on the page,
 * the first choice offered (and the first verdict, for post questions). Returns the form fields.
 */
export function firstChoices(html: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const m of html.matchAll(
    /<input[^>]*\sname="((?:answers|verdicts)\[[^"\]]+\])"[^>]*\svalue="([^"]+)"/g,
  )) {
    const [, name, value] = m;
    if (name && value && !(name in form)) form[name] = value;
  }
  return form;
}

/** The fields a page shows as already checked (saved answers restored into the form). */
export function checkedFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(
    /<input[^>]*\sname="((?:answers|verdicts)\[[^"\]]+\])"[^>]*\svalue="([^"]+)"[^>]*\schecked/g,
  )) {
    out[m[1]!] = m[2]!;
  }
  return out;
}
