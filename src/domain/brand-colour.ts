/**
 * Brand colour rules. The header shows white text on the brand colour, so a colour is accepted only
 * when white on it reaches the WCAG 2 AA contrast ratio for normal text (4.5:1).
 */
export const MIN_WHITE_TEXT_CONTRAST = 4.5;

const HEX = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i;

/** `#abc` or `#aabbcc` to lower-case `#aabbcc`; null when it is not a hex colour. */
export function normaliseHexColour(input: string): string | null {
  const text = input.trim();
  const match = HEX.exec(text);
  if (!match) return null;
  const digits = match[1]!.toLowerCase();
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  return `#${full}`;
}

/** WCAG 2 relative luminance of an sRGB colour given as `#rrggbb`. */
export function relativeLuminance(hex: string): number {
  const full = normaliseHexColour(hex);
  if (!full) throw new Error(`not a hex colour: ${hex}`);
  const channel = (offset: number) => {
    const c = Number.parseInt(full.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG 2 contrast ratio between two colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Whether white header text on this colour is readable enough (≥ 4.5:1). */
export function whiteTextReadable(hex: string): boolean {
  return contrastRatio('#ffffff', hex) >= MIN_WHITE_TEXT_CONTRAST;
}
