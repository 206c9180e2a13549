import type { Session } from './app.js';

/**
 * The hidden fields of the attestation form on a page: the CSRF token and the text the page was
 * served with (`contentVersion`, `textKey`), which the form must send back to sign.
 */
export function attestFormFields(html: string): Record<string, string> {
  const form = /<form method="post" action="[^"]*\/attest"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  return Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
  );
}

/**
 * Posts the attestation form as a browser would: opens the page at `url` (the attest page, or a
 * page showing the what-changed form) and sends its hidden fields with `form`.
 */
export async function postAttestForm(
  session: Session,
  url: string,
  form: Record<string, string | string[] | null>,
) {
  const page = await session.get(url);
  const fields = attestFormFields(page.body);
  if (!fields.contentVersion) throw new Error(`no attestation form on ${url} (${page.statusCode})`);
  const action = /<form method="post" action="([^"]*\/attest)"/.exec(page.body)![1]!;
  return session.post(action, { ...fields, ...form });
}
