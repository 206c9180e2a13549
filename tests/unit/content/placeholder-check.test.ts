import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/content/index.js';
import { contentErrorOf, expectIssue, TempCourse } from './temp-course.js';

// Issue 22: course files speak through placeholders ({{org.name}}, {{contact.comms}}). The loader
// refuses an unknown or malformed one at its file and exact line, in every file type, and never
// lets one stand in an id or a Markdown link target.

let course: TempCourse;
beforeEach(async () => {
  course = await TempCourse.copyOf('minimal');
});
afterEach(async () => {
  await course.cleanup();
});

const load = () => contentErrorOf(loadCourse(course.dir));
const UNKNOWN = /unknown placeholder \{\{org\.nmae\}\}.*known: .*org\.name.*contact\.comms/;

describe('unknown placeholders', () => {
  it('in course.yaml', async () => {
    await course.edit('course.yaml', 'summary: A tiny course', 'summary: A tiny course for {{org.nmae}}');
    expectIssue(await load(), {
      file: 'minimal/course.yaml',
      line: await course.lineOf('course.yaml', 'org.nmae'),
      field: 'summary',
      message: UNKNOWN,
    });
  });

  it('in policy.yaml, on the exact line of a multi-line text', async () => {
    await course.edit(
      'policy.yaml',
      '    text: Before posting, think about who will read it.\n',
      '    text: >-\n      Before posting, think about who will read it,\n      inside {{org.nmae}} and outside.\n',
    );
    expectIssue(await load(), {
      file: 'minimal/policy.yaml',
      line: await course.lineOf('policy.yaml', 'org.nmae'),
      field: 'clauses[0].text',
      message: UNKNOWN,
    });
  });

  it('in examples.yaml', async () => {
    await course.edit(
      'examples.yaml',
      '      - Nothing confidential.',
      '      - Nothing about {{org.nmae}}.',
    );
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line: await course.lineOf('examples.yaml', 'org.nmae'),
      field: 'examples[0].reasons[0]',
      message: UNKNOWN,
    });
  });

  it('in decision-tree.yaml, inside a flow mapping', async () => {
    await course.edit(
      'decision-tree.yaml',
      '{ label: "Not sure", next: ask }',
      '{ label: "Ask {{org.nmae}}", next: ask }',
    );
    expectIssue(await load(), {
      file: 'minimal/decision-tree.yaml',
      line: await course.lineOf('decision-tree.yaml', 'org.nmae'),
      field: 'nodes[1].options[2].label',
      message: UNKNOWN,
    });
  });

  it('in quiz.yaml, reporting each use once per line', async () => {
    await course.edit(
      'quiz.yaml',
      'text: Hurry, correct: false, feedback: No. }',
      'text: Hurry, correct: false, feedback: "No, {{org.nmae}}." }',
    );
    const error = await load();
    expectIssue(error, {
      file: 'minimal/quiz.yaml',
      line: await course.lineOf('quiz.yaml', 'org.nmae'),
      field: 'questions[0].options[1].feedback',
      message: UNKNOWN,
    });
    expect(error.issues.filter((i) => i.message.includes('org.nmae'))).toHaveLength(1);
  });

  it('in a lesson body and its front matter', async () => {
    await course.edit('lessons/01-basics.md', 'title: The basics', 'title: The basics at {{org.nmae}}');
    await course.edit(
      'lessons/01-basics.md',
      'Read it as a stranger would.',
      'Read it as a stranger would.\nAsk {{ contact.coms }}.',
    );
    const error = await load();
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf('lessons/01-basics.md', 'org.nmae'),
      field: '',
      message: UNKNOWN,
    });
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf('lessons/01-basics.md', 'contact.coms'),
      field: '',
      message: /unknown placeholder \{\{contact\.coms\}\}/,
    });
  });
});

describe('malformed placeholders', () => {
  it('an unclosed one in YAML and an empty one in a lesson', async () => {
    await course.edit(
      'examples.yaml',
      'text: Happy to have joined the team!',
      'text: Happy to have joined {{ org.name }!',
    );
    await course.edit('lessons/02-sharing.md', 'keep it to yourself.', 'keep it to yourself, says {{}}.');
    const error = await load();
    expectIssue(error, {
      file: 'minimal/examples.yaml',
      line: await course.lineOf('examples.yaml', '{{ org.name }!'),
      field: 'examples[0].text',
      message: /malformed placeholder "\{\{ org\.name \}!"/,
    });
    expectIssue(error, {
      file: 'minimal/lessons/02-sharing.md',
      line: await course.lineOf('lessons/02-sharing.md', '{{}}'),
      field: '',
      message: /malformed placeholder "\{\{\}\}"/,
    });
  });
});

describe('where placeholders may not stand', () => {
  it('never in an id', async () => {
    await course.edit('examples.yaml', 'id: good-post', 'id: "{{org.name}}"');
    expectIssue(await load(), {
      file: 'minimal/examples.yaml',
      line: await course.lineOf('examples.yaml', 'id: "{{org.name}}"'),
      field: 'examples[0].id',
      message: 'placeholders are not allowed in ids',
    });
  });

  it('in a link target only whole, and only an address (percent-encoded, the resolver fills it as a link)', async () => {
    await course.edit(
      'lessons/02-sharing.md',
      'See [our site](https://example.com/policy).',
      [
        'See [the list]({{org.clientListUrl}}) or [ask]({{contact.comms}}).',
        'Not [our site](https://example.com/{{org.tag}}).',
        'Not [us]({{org.name}}).',
        'Not https://example.com/{{org.shortName}} either.',
        'Nor <a href="{{contact.hr}}">HR</a>.',
      ].join('\n'),
    );
    const error = await load();
    const at = (needle: string) => course.lineOf('lessons/02-sharing.md', needle);
    const expectLink = async (needle: string, message: RegExp) =>
      expectIssue(error, {
        file: 'minimal/lessons/02-sharing.md',
        line: await at(needle),
        field: '',
        message,
      });
    await expectLink(
      '[our site]',
      /placeholder \{\{org\.tag\}\} in a link target: .*exactly \{\{org\.clientListUrl\}\}/,
    );
    await expectLink('[us]', /placeholder \{\{org\.name\}\} in a link target/);
    await expectLink(
      'https://example.com/{{org.shortName}}',
      /\{\{org\.shortName\}\} in a web address that Markdown turns into a link/,
    );
    await expectLink('<a href', /\{\{contact\.hr\}\} inside an HTML tag/);
    const line = await at('[the list]');
    expect(error.issues.filter((i) => i.line === line && i.file.endsWith('02-sharing.md'))).toEqual([]);
  });

  it('a whole-target address placeholder renders as the encoded href the resolver fills', async () => {
    await course.edit(
      'lessons/02-sharing.md',
      '[our site](https://example.com/policy)',
      '[the list]({{org.clientListUrl}})',
    );
    const loaded = await loadCourse(course.dir);
    expect(loaded.lessons[1]!.html).toContain('href="%7B%7Borg.clientListUrl%7D%7D"');
  });
});

describe('known placeholders', () => {
  it('load, and survive lesson rendering as literal {{name}} text', async () => {
    await course.edit(
      'lessons/01-basics.md',
      'Pause before you post. Read it as a stranger would.',
      [
        'Pause before you post at **{{org.name}}**. Say "I work at {{org.name}}" -- or ask {{ contact.comms }}.',
        'The list is at {{org.clientListUrl}}; see also #{{org.tag}}Life.',
        '',
        '| Who | Where |',
        '|---|---|',
        '| Communications | {{contact.comms}} |',
        '',
        '`{{contact.hr}}` in code and (c) {{org.shortName}}...',
      ].join('\n'),
    );
    const loaded = await loadCourse(course.dir);
    const html = loaded.lessons[0]!.html;
    expect(html).toContain('<strong>{{org.name}}</strong>');
    expect(html).toContain('I work at {{org.name}}”');
    expect(html).toContain('ask {{ contact.comms }}');
    expect(html).toContain('The list is at {{org.clientListUrl}};');
    expect(html).toContain('<td>{{contact.comms}}</td>');
    expect(html).toContain('<code>{{contact.hr}}</code>');
    expect(html).toContain('{{org.shortName}}…');
    expect(html).toContain('see also #{{org.tag}}Life.');
    expect(html).not.toMatch(/%7B|&#123;|&lbrace;/i);
  });
});

describe('an article before an organisation placeholder', () => {
  // "a {{org.name}} developer" reads "a Atkins developer", "a Ærø & Sons developer" once filled.
  const ARTICLE = /article "an?" before \{\{org\.(name|shortName)\}\}.*"a developer at \{\{org\.name\}\}"/i;

  it('is refused in YAML and in a lesson (also across a line break), at the exact line', async () => {
    await course.edit('examples.yaml', 'role: Engineer }', 'role: "Engineer, a {{org.name}} developer" }');
    await course.edit(
      'quiz.yaml',
      'text: Hurry, correct: false, feedback: No. }',
      'text: Hurry, correct: false, feedback: "No, An {{ org.shortName }} rule." }',
    );
    await course.edit(
      'lessons/01-basics.md',
      'Pause before you post. Read it as a stranger would.',
      'Pause before you post. Read it as an\n{{org.shortName}} customer would.',
    );
    const error = await load();
    expectIssue(error, {
      file: 'minimal/examples.yaml',
      line: await course.lineOf('examples.yaml', 'a {{org.name}} developer'),
      field: 'examples[0].persona.role',
      message: ARTICLE,
    });
    expectIssue(error, {
      file: 'minimal/quiz.yaml',
      line: await course.lineOf('quiz.yaml', 'An {{ org.shortName }}'),
      field: 'questions[0].options[1].feedback',
      message: ARTICLE,
    });
    expectIssue(error, {
      file: 'minimal/lessons/01-basics.md',
      line: await course.lineOf('lessons/01-basics.md', '{{org.shortName}} customer'),
      field: '',
      message: ARTICLE,
    });
  });

  it('allows the name after other words, an article before a contact, and "Ana" or "data"', async () => {
    await course.edit('examples.yaml', 'role: Engineer }', 'role: "A developer at {{org.name}}" }');
    await course.edit(
      'lessons/01-basics.md',
      'Pause before you post. Read it as a stranger would.',
      'Ask Ana {{org.name}} or a {{contact.comms}} person; data {{org.name}} keeps; a #{{org.tag}}Life post.',
    );
    await loadCourse(course.dir);
  });
});
