/**
 * The text drawn on a PDF's pages, one line per text run, read with Mozilla's pdf.js: the
 * certificate embeds its font, so its text is glyph codes that only the font's map turns back
 * into characters. Enough to check what a certificate says.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  return (await pdfRuns(pdf)).join('\n');
}

/**
 * A break inside a word: the run ends with a hyphen, slash or dash attached to the word before it.
 * PDFKit wraps lines where Unicode line breaking (UAX #14) allows, which is after `-`, `/` and
 * dashes as well as at spaces (`https://` | `intranet.example/…`, `#people-` | `questions`), and it
 * drops the space it wraps at, so only this tells the two apart.
 */
const WRAPPED_INSIDE_WORD = /\S[-/\u2010\u2013\u2014]$/;

/**
 * The text as written, for "does it say this" checks on wrapped prose: the runs joined with a space
 * where a line was wrapped at a space, and with nothing where it was wrapped inside a word (a long
 * address, a hyphenated name), whitespace collapsed. Not exact for a line that ends in a word
 * followed by a hyphen and a space ("pre- and post-"), which reads as joined.
 */
export async function pdfFlowedText(pdf: Buffer): Promise<string> {
  let text = '';
  for (const run of await pdfRuns(pdf)) {
    text += text === '' || WRAPPED_INSIDE_WORD.test(text) ? run : ` ${run}`;
  }
  return text.replace(/\s+/g, ' ').trim();
}

async function pdfRuns(pdf: Buffer): Promise<string[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const runs: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item && item.str) runs.push(item.str);
  }
  await doc.destroy();
  return runs;
}
