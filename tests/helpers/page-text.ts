/** HTML entities back to text, so rendered pages can be searched for course strings. */
export function htmlText(html: string): string {
  return html
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A page as one line of words: tags become spaces, entities text, runs of white space one space. */
export function flatText(html: string): string {
  return htmlText(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}
