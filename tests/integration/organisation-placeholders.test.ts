import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { command as scormExport } from '../../src/cli/commands/scorm-export.js';
import { defaultCoursesDir, loadCourse, loadCourses } from '../../src/content/index.js';
import { assignmentKey } from '../../src/db/keys.js';
import type { OutboxDoc } from '../../src/db/models/hr.js';
import type { OrgProfileValues } from '../../src/domain/org-profile.js';
import { REFRESH_MS } from '../../src/services/courses/index.js';
import { unzip } from '../e2e/scorm-harness.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { postAttestForm } from '../helpers/attest-form.js';
import { cliContext } from '../helpers/cli.js';
import { TestClock } from '../helpers/clock.js';
import { commandsDuring, monitoredUri } from '../helpers/db-commands.js';
import { pdfText } from '../helpers/pdf-text.js';
import { answerForm, loadAttempt, newLearner, start } from './quiz-support.js';

/**
 * Placeholder rendering on every surface: a fixture course that uses placeholders in each kind of
 * text, served after the admin saves a profile whose name holds markup. Every page shows the value
 * escaped and no `{{` remains; the certificate, a reminder e-mail and the SCORM package name the
 * organisation; the course version follows the profile.
 */
const ID = 'placeholders';
const NAME = 'Acme <b>&</b> "Co"';
/** The name as escaped HTML text (Eta and the content layer agree on these entities for this value). */
const ESCAPED = 'Acme &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;';

const ACME: OrgProfileValues = {
  name: NAME,
  shortName: 'Acme',
  brandColour: '#1d3557',
  contacts: {
    comms: { name: 'Press office', channel: '#press' },
    hr: { name: 'People desk', channel: 'people@acme.example' },
    security: { name: 'Security', channel: 'security@acme.example' },
    privacy: { name: 'DPO', channel: 'dpo@acme.example' },
    whistleblowing: { name: 'Speak up', channel: 'https://speakup.acme.example' },
  },
  clientListUrl: 'https://intranet.acme.example/clients',
  regions: ['uk'],
};

let t: TestApp;
let adminId: string;
let hr: Session;

beforeAll(async () => {
  const courses = await loadCourses(defaultCoursesDir);
  const fixture = fileURLToPath(new URL('../fixtures/courses/placeholders', import.meta.url));
  courses.set(ID, await loadCourse(fixture));
  t = await createTestApp({ label: 'org-placeholders', courses });
  t.clock.set('2026-03-02T09:00:00Z');
  adminId = (await t.app.db.models.User.findOne({ email: 'admin@demo.test' }).lean())!._id;
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

const saveProfile = (values: OrgProfileValues) =>
  t.app.services.organisation.saveProfile({ actorId: adminId, values, logo: null, now: t.clock.now() });

function expectFilled(body: string, where: string) {
  expect(body, where).not.toContain('{{');
  expect(body, where).not.toContain('%7B%7B');
  expect(body, where).not.toContain('Acme <b>');
}

describe('the demo profile on the real course', () => {
  it('a lesson page names Kestrel Works again', async () => {
    const { session } = await newLearner(t.app, 'kestrel');
    const lesson = t.app.courses.get(COURSE_ID)!.lessons[0]!;
    const res = await session.get(`/learn/${COURSE_ID}/lessons/${lesson.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Kestrel Works');
    expect(res.body).not.toContain('{{');
    expect(t.app.catalogue.templates.get(COURSE_ID)!.lessons[0]!.html).not.toContain('Kestrel');
  });
});

describe('placeholders on every surface', () => {
  let versionBefore: string;
  let learner: Awaited<ReturnType<typeof newLearner>>;

  beforeAll(async () => {
    versionBefore = t.app.courses.get(ID)!.version;
    await saveProfile(ACME);
    learner = await newLearner(t.app, 'acme');
  });

  it('the served course follows the profile: a new version, the one Map re-resolved', () => {
    const served = t.app.courses.get(ID)!;
    expect(served.version).not.toBe(versionBefore);
    expect(served.title).toBe(`Posting at ${NAME}`);
    expect(t.app.services.organisation).toBeDefined();
  });

  it('lessons, examples, the decision tree and the overview show the escaped values', async () => {
    const s = learner.session;
    const pages = [
      `/learn/${ID}`,
      `/learn/${ID}/lessons/basics`,
      `/learn/${ID}/lessons/asking`,
      `/learn/${ID}/examples`,
      `/learn/${ID}/examples/proud-post`,
      `/learn/${ID}/examples/client-post`,
      `/learn/${ID}/decide`,
      `/learn/${ID}/decide/ask`,
      `/learn/${ID}/decide/fine`,
    ];
    for (const url of pages) {
      const res = await s.get(url);
      expect(res.statusCode, url).toBe(200);
      expectFilled(res.body, url);
      expect(res.body, url).toContain(ESCAPED);
    }
    const basics = (await s.get(`/learn/${ID}/lessons/basics`)).body;
    expect(basics).toContain(`<strong>${ESCAPED}</strong>`);
    expect(basics).toContain('Ask at #press.');
    const asking = (await s.get(`/learn/${ID}/lessons/asking`)).body;
    expect(asking).toContain('href="https://intranet.acme.example/clients"');
    expect(asking).toContain('People desk (people@acme.example)');
    expect((await s.get(`/learn/${ID}/decide/ask`)).body).toContain('Ask Press office at #press');
  });

  it('questions, options and feedback, the attestation clauses and the certificate', async () => {
    const s = learner.session;
    const n = await start(s, ID);
    const base = `/learn/${ID}/quiz/attempts/${n}`;
    const page = await s.get(base);
    expectFilled(page.body, 'attempt');
    expect(page.body).toContain(`Who speaks for ${ESCAPED}?`);
    expect(page.body).toContain('Anyone at Acme');
    const attempt = await loadAttempt(t.app, learner.id, ID, n);
    const course = t.app.courses.get(ID)!;
    await s.post(`${base}/submit`, answerForm(course, attempt), base);
    const result = await s.get(`${base}/result`);
    expectFilled(result.body, 'result');
    expect(result.body).toContain(`Right: Press office speaks for ${ESCAPED}.`);

    const attestPage = await s.get(`/learn/${ID}/attest`);
    expectFilled(attestPage.body, 'attest');
    expect(attestPage.body).toContain(`Speaking for ${ESCAPED}`);
    expect(attestPage.body).toContain('Ask at #press.');
    const name = (await t.app.db.models.User.findById(learner.id).lean())!.name;
    const attested = await postAttestForm(s, `/learn/${ID}/attest`, { typedName: name, agreed: 'yes' });
    expect(attested.statusCode).toBe(303);

    const cert = await t.app.db.models.Certificate.findOne({ userId: learner.id, courseId: ID }).lean();
    expect(cert?.courseTitle).toBe(`Posting at ${NAME}`);
    const pdf = await s.get(`/certificates/${cert!._id}.pdf`);
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain(`Posting at ${NAME}`);
    expect(text).toContain(`Issued by ${NAME}`);
    expect(text).not.toContain('{{');
    const verify = await s.get(`/verify/${cert!._id}`);
    expectFilled(verify.body, 'verify');
    expect(verify.body).toContain(`Posting at ${ESCAPED}`);
    expect(verify.body).toContain(`<dt>Issued by</dt><dd>${ESCAPED}</dd>`);
  });

  it('a reminder e-mail names the organisation and whom to ask', async () => {
    const who = await newLearner(t.app, 'acme-mail');
    const res = await hr.post(
      '/hr/assignments',
      {
        courseId: ID,
        targetKind: 'individuals',
        departments: '',
        emails: who.email,
        dueKind: 'after-assignment',
        dueDays: '30',
        dueDate: '',
        newHireWithinDays: '',
      },
      '/hr/assignments',
    );
    expect(res.statusCode).toBe(303);
    await t.app.services.jobs.runSweep({ now: t.clock.now() });
    const mail = await t.app.db.models.Outbox.find({
      _id: new RegExp(`^${assignmentKey(who.id, ID)}:`),
    }).lean<OutboxDoc[]>();
    expect(mail.map((m) => m.kind)).toEqual(['assigned']);
    const [m] = mail;
    expect(m!.subject).toBe(`New training: Posting at ${NAME}`);
    expect(m!.text).toContain(NAME);
    expect(m!.text).toContain('People desk');
    expect(m!.text).toContain('people@acme.example');
    expect(m!.html).toContain(ESCAPED.replaceAll('&quot;', '&quot;'));
    expect(m!.html).not.toContain('Acme <b>');
  });

  it('the SCORM package holds the filled, escaped values, the organisation and the policy version', async () => {
    expect((await hr.get(`/hr/courses/${ID}/scorm`)).body).toContain(
      'Policy version 1, the current published version',
    );
    const res = await hr.get(`/hr/courses/${ID}/scorm/download?format=scorm12`);
    expect(res.statusCode).toBe(200);
    const files = await unzip(res.rawPayload);
    const page = files.get('index.html')!.toString();
    expectFilled(page, 'sco page');
    expect(page).toContain(`<strong>${ESCAPED}</strong>`);
    expect(page).toContain('Policy version 1');
    expect(page).toContain(`<span class="brand-name">${ESCAPED}</span>`);
    // The profile keeps the logo seed:demo saved; the package carries it and the header shows it.
    expect(files.get('logo.svg')?.toString()).toContain('<svg');
    expect(page).toContain('src="logo.svg"');
    const manifest = files.get('imsmanifest.xml')!.toString();
    expect(manifest).not.toContain('{{');
    expect(manifest).toContain(`Posting at ${ESCAPED.replaceAll('&quot;', '"')}`);
    expect(manifest).toContain('policy version 1');
  });

  it('scorm:export packages the course as served', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'scorm-export-')), 'package.zip');
    const { ctx, lines } = cliContext(t);
    expect(await scormExport.run(ctx, { positionals: [ID], flags: { format: 'scorm2004', out } })).toBe(0);
    expect(lines.join('\n')).toContain(`policy version 1 for ${NAME}`);
    const files = await unzip(await readFile(out));
    const page = files.get('index.html')!.toString();
    expectFilled(page, 'exported page');
    expect(page).toContain(`<strong>${ESCAPED}</strong>`);
    expect(files.has('logo.svg')).toBe(true);
  });

  it('a profile change gives a new course version and a new package', async () => {
    const before = t.app.courses.get(ID)!.version;
    const zipBefore = (await hr.get(`/hr/courses/${ID}/scorm/download?format=scorm12`)).rawPayload;
    await saveProfile({ ...ACME, name: 'Acme Renamed' });
    expect(t.app.courses.get(ID)!.version).not.toBe(before);
    const res = await hr.get(`/hr/courses/${ID}/scorm/download?format=scorm12`);
    const page = (await unzip(res.rawPayload)).get('index.html')!.toString();
    expect(page).toContain('Acme Renamed');
    expect(Buffer.compare(zipBefore, res.rawPayload)).not.toBe(0);
  });
});

const onCatalogue = (c: string) => c.endsWith(' org_profile') || c.endsWith(' policy_heads');

describe('another process on the same database', () => {
  it('follows a saved profile and a published policy version within the refresh interval, reading nothing while fresh', async () => {
    const clock = new TestClock();
    clock.set(t.clock.now());
    const courses = new Map([[ID, t.app.catalogue.templates.get(ID)!]]);
    const other = await buildApp({
      config: { ...t.config },
      mongoUri: monitoredUri(inject('mongoUri')),
      clock,
      logger: false,
      courses,
    });
    await other.ready();
    try {
      await other.inject({ method: 'GET', url: '/healthz' }); // the header's own profile cache is warm too
      await saveProfile({ ...ACME, name: 'Acme Elsewhere' });
      const fresh = await commandsDuring(other, () => other.inject({ method: 'GET', url: '/healthz' }));
      expect(fresh.filter(onCatalogue)).toEqual([]);
      expect(other.courses.get(ID)!.title).not.toContain('Acme Elsewhere');

      await t.app.db.models.PolicyHead.create({
        _id: ID,
        n: 2,
        overlay: {
          'PH-02': { title: 'Clients at {{org.shortName}}', summary: 'Ask.', text: 'Ask {{contact.comms}}.' },
        },
        publishedAt: t.clock.now(),
        note: 'Shorter',
      });
      clock.advance(REFRESH_MS);
      const reads = await commandsDuring(other, () => other.inject({ method: 'GET', url: '/healthz' }));
      expect(reads.filter(onCatalogue).sort()).toEqual(['find org_profile', 'find policy_heads']);
      const served = other.courses.get(ID)!;
      expect(served.title).toBe('Posting at Acme Elsewhere');
      expect(served.policyVersion).toBe(2);
      expect(served.clauses[1]).toMatchObject({ title: 'Clients at Acme', text: 'Ask #press.' });
      expect(other.courses).toBe(courses);
    } finally {
      await t.app.db.models.PolicyHead.deleteOne({ _id: ID });
      await other.close();
    }
  });
});
