import { describe, expect, it } from 'vitest';
import { isPng, logoKind } from '../../../src/domain/logo-file.js';
import { sanitiseSvgLogo } from '../../../src/services/organisation/svg-logo.js';

const wrap = (inner: string, attrs = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${inner}</svg>`;

describe('SVG logo sanitiser', () => {
  it('keeps a plain logo, with local references and gradients', () => {
    const svg = wrap(
      '<defs><linearGradient id="g"><stop offset="0" stop-color="#123"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)" style="stroke:url(#g)"/><use href="#g"/><title>Logo</title>',
    );
    const out = sanitiseSvgLogo(svg);
    expect(out.ok).toBe(true);
    if (out.ok) {
      expect(out.svg).toContain('fill="url(#g)"');
      expect(out.svg).toContain('<linearGradient id="g">');
      expect(out.svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    }
  });

  it('drops editor metadata and comments but keeps the drawing', () => {
    const out = sanitiseSvgLogo(
      `<?xml version="1.0"?><!-- made by hand -->${wrap('<metadata><x/></metadata><circle r="4" data-name="c" cx="5" cy="5"/>')}`,
    );
    expect(out).toEqual({ ok: true, svg: expect.stringContaining('<circle r="4" cx="5" cy="5"/>') });
    if (out.ok) expect(out.svg).not.toMatch(/metadata|data-name|made by hand/);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['a script element', wrap('<script>alert(1)</script>'), /script/i],
    ['a script with CDATA', wrap('<script><![CDATA[alert(1)]]></script>'), /script/i],
    ['an onload handler', wrap('<rect/>', ' onload="alert(1)"'), /event handler \(onload\)/],
    ['an onclick on a child', wrap('<rect onclick="x()"/>'), /event handler/],
    ['a foreignObject', wrap('<foreignObject><div>hi</div></foreignObject>'), /foreignObject/],
    ['an external href', wrap('<use href="https://evil.example/x.svg#a"/>'), /outside the file/],
    ['a data: xlink:href', wrap('<use xlink:href="data:image/svg+xml;base64,AAAA"/>'), /outside the file/],
    ['an external url() in style', wrap('<rect style="fill:url(http://evil.example/p.svg#a)"/>'), /outside/],
    [
      'an external url() in a <style>',
      wrap('<style>rect{fill:url(https://evil.example/a)}</style>'),
      /outside/,
    ],
    ['@import in a <style>', wrap('<style>@import "https://evil.example/a.css";</style>'), /outside/],
    ['a javascript: href', wrap('<use href="javascript:alert(1)"/>'), /outside the file/],
    ['an embedded image', wrap('<image href="#x"/>'), /embeds an image/],
    ['entity declarations', `<!DOCTYPE svg [<!ENTITY x "y">]>${wrap('')}`, /entities/],
    ['a non-SVG root', '<html><body>hi</body></html>', /not an SVG/],
  ];
  it.each(refusals)('refuses %s with a clear message', (_name, svg, message) => {
    const out = sanitiseSvgLogo(svg);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toMatch(message);
  });
});

describe('logo file kind', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  it('recognises a PNG by its signature and IHDR chunk', () => {
    expect(isPng(png)).toBe(true);
    expect(logoKind(png)).toBe('png');
    expect(isPng(Buffer.concat([Buffer.from('GIF89a'), png]))).toBe(false);
  });
  it('recognises SVG text and refuses anything else', () => {
    expect(logoKind(Buffer.from(`<?xml version="1.0"?>\n${wrap('')}`))).toBe('svg');
    expect(logoKind(Buffer.from('<html></html>'))).toBeNull();
    expect(logoKind(Buffer.from('GIF89a...'))).toBeNull();
  });
});
