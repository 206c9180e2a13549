import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  normaliseHexColour,
  relativeLuminance,
  whiteTextReadable,
} from '../../../src/domain/brand-colour.js';

describe('brand colour contrast (WCAG 2)', () => {
  it('gives the known ratios', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#ffffff', '#767676')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#ffffff', '#777777')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#0000ff', '#ffffff')).toBeCloseTo(8.59, 2);
  });

  it('is symmetric and uses sRGB luminance', () => {
    expect(contrastRatio('#1d3557', '#fff')).toBe(contrastRatio('#fff', '#1d3557'));
    expect(relativeLuminance('#ff0000')).toBeCloseTo(0.2126, 4);
  });

  it('accepts white text only at 4.5:1 or more', () => {
    expect(whiteTextReadable('#767676')).toBe(true);
    expect(whiteTextReadable('#777777')).toBe(false);
    expect(whiteTextReadable('#ffcc00')).toBe(false);
    expect(whiteTextReadable('#1d3557')).toBe(true);
  });

  it('normalises hex and refuses anything else', () => {
    expect(normaliseHexColour(' #ABC ')).toBe('#aabbcc');
    expect(normaliseHexColour('#1D3557')).toBe('#1d3557');
    for (const bad of ['1d3557', '#12345', 'red', '#gggggg', 'rgb(0,0,0)'])
      expect(normaliseHexColour(bad)).toBeNull();
  });
});
