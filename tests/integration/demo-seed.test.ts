import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentKey, cycleKey } from '../../src/db/keys.js';
import { addDays, utcDay } from '../../src/domain/dates.js';
import { outboxMailer } from '../../src/mail/transport.js';
import { verifyAuditChain } from '../../src/services/audit/verify.js';
import { DEMO_PEOPLE_REGIONS } from '../../src/services/demo/regions.js';
import { seedDemoTraining } from '../../src/services/demo/seed.js';
import { signIn, userIdOf } from '../helpers/actors.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// What `npm start` shows on a first start: the demo organisation's training, written through the
// learner's own services at past dates, so completed people have the records that completion needs.
let t: TestApp;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp({ label: 'demo_seed' });
  const { app } = t;
  const deps = {
    models: app.db.models,
    courses: app.courses,
    catalogue: app.catalogue,
    mailer: outboxMailer(app.db.models),
    audit: app.audit,
    baseUrl: 'http://localhost:3000',
  };
  await seedDemoTraining(deps, { now: t.clock.now() });
});

afterAll(async () => {
  await t.close();
});

const course = () => [...t.app.courses.values()][0]!;
const cycleId = (userId: string, n: number) => cycleKey(userId, course().id, n);

describe('demo training history', () => {
  it('gives each early completer every lesson, a passed quiz, an attestation and a certificate', async () => {
    const { LessonView, AttemptResult, Attestation, Certificate, Cycle, User } = t.app.db.models;
    const now = t.clock.now().getTime();
    const completers = { 'ava.adams@demo.test': 20, 'ben.bauer@demo.test': 45, 'chloe.costa@demo.test': 350 };
    for (const [email, daysAgo] of Object.entries(completers)) {
      const userId = await userIdOf(t.app, email);
      const id = cycleId(userId, 1);
      const cycle = await Cycle.findById(id).lean();
      expect(cycle?.completedAt, email).toBeInstanceOf(Date);
      expect((now - cycle!.completedAt!.getTime()) / DAY, email).toBeCloseTo(daysAgo, 0);
      const views = await LessonView.find({ cycleId: id }).lean();
      expect(views.map((v) => v.lessonId).sort(), email).toEqual(
        course()
          .lessons.map((l) => l.id)
          .sort(),
      );
      const results = await AttemptResult.find({ cycleId: id }).sort({ n: 1 }).lean();
      expect(results.at(-1)?.passed, email).toBe(true);
      const person = await User.findById(userId).lean();
      const attestation = await Attestation.findById(id).lean();
      expect(attestation?.typedName, email).toBe(person!.name);
      expect(attestation!.at.getTime(), email).toBe(cycle!.completedAt!.getTime());
      const certificate = await Certificate.findById(cycle!.certificateCode).lean();
      expect(certificate?.name, email).toBe(person!.name);
    }
    // Chloe failed once, then passed after the cooldown: HR sees both attempts.
    const chloe = await userIdOf(t.app, 'chloe.costa@demo.test');
    const chloeResults = await AttemptResult.find({ cycleId: cycleId(chloe, 1) })
      .sort({ n: 1 })
      .lean();
    expect(chloeResults.map((r) => r.passed)).toEqual([false, true]);
    const gapMinutes =
      (chloeResults[1]!.startedAt.getTime() - chloeResults[0]!.submittedAt.getTime()) / 60_000;
    expect(gapMinutes).toBeGreaterThanOrEqual(course().quiz.cooldownMinutes);
  });

  it('shows the states HR should see: refreshers due for old completions, overdue and newly assigned people', async () => {
    const { Assignment } = t.app.db.models;
    const stateOf = async (email: string) =>
      (await Assignment.findById(assignmentKey(await userIdOf(t.app, email), course().id)).lean())?.state;
    expect(await stateOf('ava.adams@demo.test')).toBe('completed');
    expect(await stateOf('ben.bauer@demo.test')).toBe('completed');
    // Completed 400 and 350 days ago on a yearly cycle: expired, and a refresher due in 15 days.
    expect(await stateOf('dev.diallo@demo.test')).toBe('expired');
    expect(await stateOf('chloe.costa@demo.test')).toBe('due-soon');
    expect(await stateOf('elena.evans@demo.test')).toBe('overdue');
    expect(await stateOf('femi.fischer@demo.test')).toBe('overdue');
    const fresh = await Assignment.findById(
      assignmentKey(await userIdOf(t.app, 'employee@demo.test'), course().id),
    ).lean();
    expect(fresh?.state).toBe('not-started');
    expect(fresh?.dueAt).toEqual(utcDay(addDays(t.clock.now(), 30)));
  });

  it('writes an audit log that verifies and never goes back in time', async () => {
    const report = await verifyAuditChain(t.app.db.models);
    expect(report.ok).toBe(true);
    const events = await t.app.db.models.AuditEvent.find({}, { seq: 1, at: 1 }).sort({ _id: 1 }).lean();
    expect(events.length).toBe(report.count);
    for (let i = 1; i < events.length; i += 1) {
      expect(events[i]!.at.getTime(), `event ${events[i]!.seq}`).toBeGreaterThanOrEqual(
        events[i - 1]!.at.getTime(),
      );
    }
  });

  it('has enough graded attempts from strong and weak former staff for HR to see question statistics', async () => {
    const { AttemptResult, ItemStats, User, Assignment } = t.app.db.models;
    const results = await AttemptResult.find(
      { courseId: course().id },
      { score: 1, userId: 1, questions: 1 },
    ).lean();
    expect(results.length).toBeGreaterThanOrEqual(40);
    const scores = results.map((r) => r.score);
    expect(Math.min(...scores)).toBeLessThan(60);
    expect(Math.max(...scores)).toBeGreaterThanOrEqual(90);
    // The people who sat those attempts have left: inactive, and off the dashboard's counts.
    const leavers = await User.find({ email: /@former\.demo\.test$/ }, { active: 1 }).lean();
    expect(leavers.length).toBe(36);
    expect(leavers.every((p) => p.active === false)).toBe(true);
    expect(await Assignment.countDocuments({ userId: leavers[0]!._id, active: true })).toBe(0);

    // The nightly job of the seed counted them: one document per question of the bank.
    const stats = await ItemStats.find({ courseId: course().id }).lean();
    expect(stats.length).toBe(course().questions.length);
    expect(stats.every((s) => s.computedAt.getTime() === t.clock.now().getTime())).toBe(true);
    const drawn = stats.reduce((sum, s) => sum + s.drawn, 0);
    // Every graded question counted once (a refresher's pre-assessment draws fewer than the quiz).
    expect(drawn).toBe(results.reduce((sum, r) => sum + r.questions.length, 0));
    // Real figures: most questions drawn several times, with a discrimination to show.
    expect(stats.filter((s) => s.discrimination !== null).length).toBeGreaterThan(stats.length / 2);

    const hr = await signIn(t.app, 'hr@demo.test');
    const page = await hr.get(`/hr/courses/${course().id}/questions`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('No statistics yet');
    expect(page.body).toContain('quiz.yaml:');
  });

  it('shows a completed learner the completion date, a review button and the certificate instead of a due date', async () => {
    const ava = await signIn(t.app, 'ava.adams@demo.test');
    const home = await ava.get('/', { accept: 'text/html' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toMatch(/<dt>Completed<\/dt><dd>\d+ \w+ 20\d\d<\/dd>/);
    expect(home.body).not.toContain('<dt>Due</dt>');
    expect(home.body).toContain(`href="/learn/${course().id}">Review`);
    expect(home.body).toMatch(/href="\/certificates\/[A-Z0-9-]+\.pdf"/);
    const overview = await ava.get(`/learn/${course().id}`, { accept: 'text/html' });
    expect(overview.body).toMatch(/Completed \d+ \w+ 20\d\d · Valid until \d+ \w+ 20\d\d/);
    expect(overview.body).toContain('Review the lessons');

    // Someone with a refresher open sees its due date again, not the old completion.
    const chloe = await signIn(t.app, 'chloe.costa@demo.test');
    const chloeHome = await chloe.get('/', { accept: 'text/html' });
    expect(chloeHome.body).toContain('<dt>Due</dt>');
    expect(chloeHome.body).not.toContain('<dt>Completed</dt>');
  });
});

describe('demo jurisdictions', () => {
  // Words only one notice says: the US NLRA notice and the UK PIDA notice of clause 1 and lesson 1.
  const NLRA = 'National Labor Relations Act';
  const PIDA = 'Public Interest Disclosure Act 1998';

  it('the profile names the UK, the EU and the US, and a few people work in one of them', async () => {
    const profile = await t.app.services.organisation.currentProfile();
    expect([...profile.regions].sort()).toEqual(['eu', 'uk', 'us']);
    const { User } = t.app.db.models;
    const placed = await User.find({ region: { $ne: null } }, { email: 1, region: 1 }).lean();
    const byEmail = Object.fromEntries(placed.map((p) => [p.email, p.region]));
    expect(byEmail).toEqual(DEMO_PEOPLE_REGIONS);
    expect(new Set(Object.values(byEmail))).toEqual(new Set(['uk', 'eu', 'us']));
    // The demo logins stay without one: they see every notice the organisation enables.
    expect(
      await User.countDocuments({ email: /^(admin|hr|manager|employee)@demo\.test$/, region: null }),
    ).toBe(4);
  });

  it("HR sees a person's region, and that person sees only their region's notices", async () => {
    const hr = await signIn(t.app, 'hr@demo.test');
    const [ukEmail] = Object.entries(DEMO_PEOPLE_REGIONS).find(([, r]) => r === 'uk')!;
    const [usEmail] = Object.entries(DEMO_PEOPLE_REGIONS).find(([, r]) => r === 'us')!;
    const page = await hr.get(`/hr/employees/${await userIdOf(t.app, ukEmail)}`, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<dt>Region</dt><dd>United Kingdom</dd>');

    const lesson = `/learn/${course().id}/lessons/why-this-policy`;
    const uk = await (await signIn(t.app, ukEmail)).get(lesson, { accept: 'text/html' });
    expect(uk.statusCode).toBe(200);
    expect(uk.body).toContain(PIDA);
    expect(uk.body).not.toContain(NLRA);
    const us = await (await signIn(t.app, usEmail)).get(lesson, { accept: 'text/html' });
    expect(us.body).toContain(NLRA);
    expect(us.body).not.toContain(PIDA);
    const everyone = await (await signIn(t.app, 'employee@demo.test')).get(lesson, { accept: 'text/html' });
    expect(everyone.body).toContain(NLRA);
    expect(everyone.body).toContain(PIDA);
  });
});
