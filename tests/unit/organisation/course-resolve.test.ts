import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import {
  escapeHtmlText,
  PLACEHOLDER_FALLBACKS,
  resolveCourse,
  servedPlaceholderValues,
} from '../../../src/domain/course-resolve.js';
import { DEFAULT_PROFILE, type OrgProfile, placeholderValues } from '../../../src/domain/org-profile.js';
import { BASELINE_OVERLAY, type PolicyOverlay } from '../../../src/domain/policy-version.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/courses/${name}`, import.meta.url));

const ACME: OrgProfile = {
  ...DEFAULT_PROFILE,
  name: 'Acme <b>&</b> "Co"',
  shortName: 'Acme',
  contacts: {
    comms: { name: 'Press office', channel: '#press' },
    hr: { name: 'People team', channel: 'people@acme.example' },
    security: { name: 'Security', channel: 'security@acme.example' },
    privacy: { name: 'DPO', channel: 'dpo@acme.example' },
    whistleblowing: { name: 'Speak up', channel: 'https://speakup.acme.example' },
  },
  clientListUrl: 'https://intranet.acme.example/clients?a=1&b=2',
  regions: ['uk'],
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  updatedBy: 'admin',
};
const values = (p: OrgProfile = ACME) => servedPlaceholderValues(p);

let template: Course;
beforeAll(async () => {
  template = await loadCourse(fixture('placeholders'));
});

function ids(course: Course) {
  return {
    id: course.id,
    clauses: course.clauses.map((c) => c.id),
    lessons: course.lessons.map((l) => [l.id, l.clauses]),
    examples: course.examples.map((e) => [e.id, e.clauses]),
    questions: course.questions.map((q) => [q.id, q.clauses]),
    nodes: Object.keys(course.decisionTree.nodes),
    start: course.decisionTree.start,
  };
}

describe('resolveCourse', () => {
  it('fills every string: HTML with escaped values, plain text with raw values; ids stay; the template is untouched', () => {
    const before = structuredClone(template);
    const served = resolveCourse(template, { values: values(), overlay: BASELINE_OVERLAY });
    expect(JSON.stringify(served)).not.toContain('{{');
    expect(served.lessons[0]!.html).toContain(
      '<strong>Acme &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;</strong>',
    );
    expect(served.lessons[0]!.html).not.toContain('<b>');
    expect(served.lessons[0]!.title).toBe('Posting at Acme <b>&</b> "Co"');
    expect(served.title).toBe('Posting at Acme <b>&</b> "Co"');
    expect(served.policyTitle).toBe('Acme <b>&</b> "Co" Social Media Policy');
    expect(served.clauses[0]!.text).toBe(
      'Only people Press office authorises speak for Acme <b>&</b> "Co". Ask at #press.',
    );
    expect(served.examples[0]!.persona.role).toBe('Engineer at Acme <b>&</b> "Co"');
    const node = served.decisionTree.nodes.ask!;
    expect(node.kind === 'outcome' && node.text).toBe(
      'Ask Press office at #press before posting about Acme <b>&</b> "Co".',
    );
    const spot = served.questions.find((q) => q.type === 'spot')!;
    expect(spot.type === 'spot' && spot.post.text).toContain('Great week at Acme <b>&</b> "Co".');
    expect(ids(served)).toEqual(ids(template));
    expect(template).toEqual(before);
  });

  it('puts a web or mail address into a link target, escaped, and anything else as #', () => {
    const served = resolveCourse(template, { values: values(), overlay: BASELINE_OVERLAY });
    expect(served.lessons[1]!.html).toContain('href="https://intranet.acme.example/clients?a=1&amp;b=2"');
    const chat = new Map(values());
    chat.set('org.clientListUrl', 'javascript:alert(1)');
    const unsafe = resolveCourse(template, { values: chat, overlay: BASELINE_OVERLAY });
    expect(unsafe.lessons[1]!.html).toContain('href="#"');
  });

  it('applies the overlay by clause id (its text may use placeholders) and serves its version number', () => {
    const overlay: PolicyOverlay = {
      n: 3,
      clauses: {
        'PH-02': {
          title: 'Clients of {{org.shortName}}',
          summary: 'Ask first.',
          text: 'Ask {{contact.comms}}.',
        },
      },
      publishedAt: new Date('2026-02-01T00:00:00Z'),
      note: 'Clearer',
    };
    const served = resolveCourse(template, { values: values(), overlay });
    expect(served.policyVersion).toBe(3);
    expect(served.clauses[1]).toMatchObject({
      id: 'PH-02',
      number: '2',
      title: 'Clients of Acme',
      text: 'Ask #press.',
    });
    expect(served.clauses[0]!.title).toBe('Speaking for Acme <b>&</b> "Co"');
  });

  it('hashes files, used values and overlay: same inputs same version, any used value or overlay change a new one', () => {
    const a = resolveCourse(template, { values: values(), overlay: BASELINE_OVERLAY });
    expect(resolveCourse(template, { values: values(), overlay: BASELINE_OVERLAY }).version).toBe(a.version);
    expect(a.version).not.toBe(template.version);
    expect(a.version).toMatch(/^[0-9a-f]{64}$/);

    const renamed = resolveCourse(template, {
      values: values({ ...ACME, name: 'Acme Ltd' }),
      overlay: BASELINE_OVERLAY,
    });
    expect(renamed.version).not.toBe(a.version);
    const unused = new Map(values());
    unused.set('contact.privacy', 'other@acme.example'); // the fixture never names the privacy contact
    expect(resolveCourse(template, { values: unused, overlay: BASELINE_OVERLAY }).version).toBe(a.version);

    const overlay = (text: string): PolicyOverlay => ({
      n: 2,
      clauses: { 'PH-02': { title: 't', summary: 's', text } },
      publishedAt: null,
      note: '',
    });
    const v2 = resolveCourse(template, { values: values(), overlay: overlay('one') });
    expect(v2.version).not.toBe(a.version);
    expect(resolveCourse(template, { values: values(), overlay: overlay('two') }).version).not.toBe(
      v2.version,
    );
  });

  it('serves a course without placeholders under the baseline policy as it is', async () => {
    const minimal = await loadCourse(fixture('minimal'));
    const served = resolveCourse(minimal, { values: values(), overlay: BASELINE_OVERLAY });
    expect(served.version).toBe(minimal.version);
    expect(served).toEqual(minimal);
  });

  it('a profile value with markup comes out as text in lesson HTML', () => {
    const xss = servedPlaceholderValues({ ...ACME, name: '<img src=x onerror=alert(1)>' });
    const served = resolveCourse(template, { values: xss, overlay: BASELINE_OVERLAY });
    for (const lesson of served.lessons) expect(lesson.html).not.toContain('<img');
    expect(served.lessons[0]!.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('escapeHtmlText', () => {
  it('is the content layer escape (markdown-it)', () => {
    const md = new MarkdownIt();
    for (const text of ['a & b', '<script>"x"</script>', "it's", 'plain', '&amp;'])
      expect(escapeHtmlText(text)).toBe(md.utils.escapeHtml(text));
  });
});

describe('servedPlaceholderValues', () => {
  it('an unsaved install reads neutrally: your organisation, the HR contact, your communications team', () => {
    const v = servedPlaceholderValues(DEFAULT_PROFILE);
    expect(v.get('org.name')).toBe('your organisation');
    expect(v.get('contact.hr')).toBe('the HR contact');
    expect(v.get('contact.comms.name')).toBe('your communications team');
    for (const name of placeholderValues(DEFAULT_PROFILE).keys()) expect(v.get(name)?.trim()).toBeTruthy();
    expect([...v.keys()]).toEqual([...PLACEHOLDER_FALLBACKS.keys()].filter((k) => v.has(k)));
  });

  it('a saved profile keeps its own values', () => {
    const v = servedPlaceholderValues(ACME);
    expect(v.get('org.name')).toBe(ACME.name);
    expect(v.get('contact.hr')).toBe('people@acme.example');
  });

  it('a fallback fits its place: lower case after inline tags and wrapped lines, no "your" after a determiner', () => {
    const lesson = {
      ...template.lessons[0]!,
      html: '<p>Speak <em>on behalf of</em> {{org.name}}. {{org.name}} is here and\n{{org.name}} helps every {{org.name}} employee.</p><li>{{contact.hr.name}}</li>',
    };
    const served = resolveCourse(
      { ...template, lessons: [lesson] },
      {
        values: servedPlaceholderValues(DEFAULT_PROFILE),
        overlay: BASELINE_OVERLAY,
      },
    );
    expect(served.lessons[0]!.html).toBe(
      '<p>Speak <em>on behalf of</em> your organisation. Your organisation is here and\nyour organisation helps every organisation employee.</p><li>Your HR team</li>',
    );
  });

  it('a fallback at the start of a sentence gets a capital', () => {
    const served = resolveCourse(template, {
      values: servedPlaceholderValues(DEFAULT_PROFILE),
      overlay: BASELINE_OVERLAY,
    });
    expect(served.lessons[0]!.html).toContain('<h2>Who speaks for your organisation</h2>');
    expect(served.clauses[0]!.summary).toBe('Only your communications team speaks for your organisation.');
    const explanation = served.questions.find((q) => q.id === 'q-multiple')!.explanation;
    expect(explanation).toBe('Your communications team or your manager.');
  });
});

describe('no article before the organisation name in the served course', () => {
  // "a Atkins client project", and with no saved profile "a organisation developer".
  it.each([
    ['no saved profile', DEFAULT_PROFILE, 'your organisation'],
    ['Atkins', { ...ACME, name: 'Atkins', shortName: 'Atkins' }, 'Atkins'],
    ['Ærø & Sons', { ...ACME, name: 'Ærø & Sons', shortName: 'Ærø' }, 'Ærø & Sons'],
  ])('%s', async (_label, profile, name) => {
    const real = await loadCourse(
      fileURLToPath(new URL('../../../courses/social-media-policy', import.meta.url)),
    );
    const served = JSON.stringify(
      resolveCourse(real, { values: servedPlaceholderValues(profile), overlay: BASELINE_OVERLAY }),
    );
    expect(served).not.toMatch(/\ban? (organisation|Atkins|Ærø)\b/);
    expect(served).toContain(`a developer at ${name}`);
    expect(served).toContain(`a client project for ${name}`);
  });
});
