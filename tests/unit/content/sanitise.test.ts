import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse, renderLessonMarkdown } from '../../../src/content/index.js';
import { fixturesDir } from './temp-course.js';

describe('lesson sanitisation', () => {
  it('renders the malicious lesson fixture with no script, handler, frame or dangerous link', async () => {
    const course = await loadCourse(path.join(fixturesDir, 'malicious-lesson'));
    const html = course.lessons[0]?.html ?? '';

    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/alert\(/); // script bodies are dropped, not escaped into the page
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/\son\w+\s*=/i); // onerror, onclick, onload…
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<style|style=/i);
    expect(html).not.toMatch(/<svg|<form|<input/i);
    expect(html).not.toMatch(/javascript:|data:/i);

    // The harmless parts survive, and the heading was demoted below the page's h1.
    expect(html).toContain('<h2>Heading that must become h2</h2>');
    expect(html).toContain('<p>Paragraph with a handler.</p>');
    expect(html).toContain('<a href="https://example.com/safe" rel="noopener noreferrer">A safe link</a>');
    expect(html).toContain('href="mailto:help@example.com"');
    expect(html).toContain('Markdown javascript link'); // link text kept, link removed
  });

  it.each([
    ['[x](JAVASCRIPT:alert(1))', /javascript/i],
    ['<a href="java\tscript:alert(1)">x</a>', /script:/i],
    ['[x](vbscript:msgbox(1))', /vbscript/i],
    ['[x](//evil.example/path)', /evil\.example/],
    ['![pic](https://tracker.example/pixel.png)', /<img|tracker/],
    ['<details open ontoggle="alert(1)"><summary>s</summary>d</details>', /ontoggle|alert/],
    ['<object data="x.swf"></object><embed src="x.swf">', /<object|<embed/],
    ['<a href="https://ok.example" target="_blank" onmouseover="x()">ok</a>', /onmouseover|target=/],
  ])('strips %s', (source, forbidden) => {
    expect(renderLessonMarkdown(source)).not.toMatch(forbidden);
  });

  it('shifts headings so the highest becomes h2', () => {
    expect(renderLessonMarkdown('# A\n\n## B\n\n###### F')).toBe('<h2>A</h2>\n<h3>B</h3>\n<h6>F</h6>\n');
    expect(renderLessonMarkdown('## A\n\n### B')).toBe('<h2>A</h2>\n<h3>B</h3>\n');
    expect(renderLessonMarkdown('<h1>Raw</h1>')).toBe('<h2>Raw</h2>');
  });

  it('keeps useful formatting: lists, tables, emphasis, code', () => {
    const html = renderLessonMarkdown('- **bold** and *em* and `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<table>');
  });
});
