/**
 * The text drawn on a PDF's pages, one line per text run, read with Mozilla's pdf.js: the
 * certificate embeds its font, so its text is glyph codes that only the font's map turns back
 * into characters. Enough to check what a certificate says.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
  const lines: string[] = [];
  for (let n = 1; n <= doc.numPages; n += 1) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item && item.str) lines.push(item.str);
  }
  await doc.destroy();
  return lines.join('\n');
}
