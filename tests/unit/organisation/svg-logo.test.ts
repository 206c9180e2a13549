import { describe, expect, it } from 'vitest';
import { isPng, logoKind } from '../../../src/domain/logo-file.js';
import { translator } from '../../../src/i18n/translator.js';
import { type SvgCheck, sanitiseSvgLogo } from '../../../src/services/organisation/svg-logo.js';

/** The refusal as the admin reads it in English (the sanitiser gives a message key and values). */
const english = (out: SvgCheck) => (out.ok ? '' : translator('en').t(out.message, out.values));

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
    if (!out.ok) expect(english(out)).toMatch(message);
  });

  // Payloads that slip past a check by name: each must be refused or come out with nothing that
  // runs or loads from elsewhere (the xmlns URIs are the only absolute URLs allowed in the output).
  const tricky: Array<[string, string]> = [
    ['a CSS-escaped url() in a <style>', wrap('<style>rect{fill:u\\72l(https://evil.example/a)}</style>')],
    [
      'a CSS-escaped url() in a style attribute',
      wrap('<rect style="fill:u\\72 l(https://evil.example/a)"/>'),
    ],
    ['@namespace with a remote URL', wrap('<style>@namespace x url(https://evil.example/);</style>')],
    [
      'a data: <use> inside <defs>',
      wrap('<defs><use href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/></defs>'),
    ],
    ['a mixed-case script element', wrap('<ScRiPt>alert(1)</ScRiPt>')],
    ['a prefixed script element', wrap('<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script>')],
    [
      'an href under another prefix',
      wrap('<use xmlns:l="http://www.w3.org/1999/xlink" l:href="https://evil.example/x#a"/>'),
    ],
    ['an animate that rewrites href', wrap('<animate attributeName="href" to="javascript:alert(1)"/>')],
    ['an animateMotion', wrap('<circle r="1"><animateMotion dur="1s" path="M0 0H9"/></circle>')],
    ['an HTML element in the SVG namespace', wrap('<iframe src="javascript:alert(1)"/>')],
  ];
  const executableOrExternal =
    /<script|javascript:|\son[a-z]+\s*=|foreignObject|<animate|<set|<iframe|\bhref="(?!#)|data:|https?:\/\/(?!www\.w3\.org\/)|\\/i;
  it.each(tricky)('refuses %s, or keeps nothing executable or external', (_name, svg) => {
    const out = sanitiseSvgLogo(svg);
    if (out.ok) expect(out.svg).not.toMatch(executableOrExternal);
  });

  it('refuses animation it has no specific name for, with the animation message', () => {
    const out = sanitiseSvgLogo(wrap('<circle r="1"><animateMotion dur="1s" path="M0 0H9"/></circle>'));
    expect(out.ok).toBe(false);
    expect(english(out)).toMatch(/animation/);
  });

  it('refuses a CSS escape that hides a remote url()', () => {
    const out = sanitiseSvgLogo(wrap('<style>rect{fill:u\\72l(https://evil.example/a)}</style>'));
    expect(out.ok).toBe(false);
    expect(english(out)).toMatch(/outside the file/);
  });

  it('declares the SVG namespace when a hand-written file leaves it out', () => {
    expect(sanitiseSvgLogo('<svg viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')).toEqual({
      ok: true,
      svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>',
    });
  });

  it('drops Inkscape and Sodipodi attributes and elements, keeping an XML-valid SVG', () => {
    const out = sanitiseSvgLogo(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 10 10" inkscape:version="1.3"><sodipodi:namedview id="nv" inkscape:zoom="2"/><g inkscape:label="Layer 1" inkscape:groupmode="layer"><path d="M0 0H9" sodipodi:nodetypes="cc"/></g></svg>`,
    );
    expect(out).toEqual({
      ok: true,
      svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g><path d="M0 0H9"/></g></svg>',
    });
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
