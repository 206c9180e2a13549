import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDoc } from '../../src/db/models/user.js';
import { needsMeSettled } from '../../src/services/reporting/needs-me.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { htmlText } from './quiz-support.js';

// HR's workspace in the language the browser asks for (issue #26): HR home, the people list, a
// person's history and the reports page, in German and Spanish, plurals included.
let t: TestApp;
let hr: Session;
let ava: UserDoc;

beforeAll(async () => {
  t = await createTestApp({ label: 'hr-languages' });
  await t.app.services.demo.seedDemoTraining({ now: t.clock.now() });
  const { User, PolicyFeedback } = t.app.db.models;
  ava = (await User.findOne({ email: 'ava.adams@demo.test' }).lean<UserDoc>())!;
  await PolicyFeedback.deleteMany({});
  // Exactly one open question: "1 … question" (singular) beside "0 … messages" (plural).
  await PolicyFeedback.create({
    _id: `${ava._id}:sub-1`,
    userId: ava._id,
    userName: ava.name,
    department: ava.department,
    courseId: COURSE_ID,
    lessonId: 'think-before-you-post',
    contentVersion: 'v',
    kind: 'question',
    message: 'A question',
    status: 'open',
    createdAt: t.clock.now(),
    handledAt: null,
    handledBy: null,
  });
  await needsMeSettled(t.app.db.models);
  hr = await loginAs(t.app, 'hr@demo.test');
});
afterAll(async () => t.close());

async function page(url: () => string, lang: string): Promise<string> {
  const res = await hr.get(url(), { 'accept-language': lang });
  expect(res.statusCode, url()).toBe(200);
  expect(res.body).toContain(`lang="${lang}"`);
  return htmlText(res.body.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

// [page, its address, German phrases, Spanish phrases, English phrases that must be gone]
const PAGES: Array<[string, () => string, string[], string[], string[]]> = [
  [
    'HR home',
    () => '/hr',
    [
      'Was heute Ihre Aufmerksamkeit braucht',
      '1 unbeantwortete Frage oder Anregung',
      '0 Nachrichten konnten nicht gesendet werden',
      'Alles Weitere',
    ],
    [
      'Lo que necesita tu atención hoy',
      '1 pregunta o sugerencia sin responder',
      '0 mensajes no se pudieron enviar',
      'Todo lo demás',
    ],
    ['What needs you today', 'failed to send', 'Everything else', 'Question statistics'],
  ],
  [
    'people list',
    () => '/hr/people',
    ['Person hinzufügen', 'Filter anwenden', 'Personen entsprechen', 'Erinnerung jetzt senden'],
    ['Añadir una persona', 'Aplicar filtros', 'personas coinciden', 'Enviar un recordatorio ahora'],
    ['Add a person', 'Apply filters', 'people match', 'Send a reminder now', 'Any department'],
  ],
  [
    "a person's history",
    () => `/hr/employees/${ava._id}`,
    ['Schulung', 'Verlauf', 'Zyklus 1', 'Abteilung'],
    ['Formación', 'Historial', 'Ciclo 1', 'Departamento'],
    ['Training', 'History', 'Cycle 1', 'Hire date', 'Evidence pack for this cycle'],
  ],
  [
    'dashboard',
    () => '/hr/dashboard',
    ['Schulungsübersicht', 'Personen nach Status', 'Abschlussquote nach Abteilung', 'Abgeschlossen'],
    ['Panel de formación', 'Personas por estado', 'Tasa de finalización por departamento', 'Completado'],
    ['Training dashboard', 'People by state', 'Completion rate by department', 'Apply filters'],
  ],
  [
    'policy feedback',
    () => '/hr/feedback?status=open',
    ['Rückmeldungen zur Richtlinie', 'Offene Einträge', 'Als bearbeitet markieren'],
    ['Comentarios sobre la política', 'Elementos abiertos', 'Marcar como atendido'],
    ['Policy feedback', 'Open items', 'Mark handled'],
  ],
  [
    'outbox',
    () => '/hr/outbox/failed',
    ['E-Mails, die nicht gesendet werden konnten', 'In den letzten'],
    ['Correo que no se pudo enviar', 'en los últimos'],
    ['Mail that failed to send', 'Outbox'],
  ],
  [
    'assignments',
    () => '/hr/assignments',
    ['Kurs zuweisen', 'Wer muss ihn absolvieren?', 'Fälligkeitsdatum verlängern'],
    ['Asignar un curso', '¿Quién debe hacerlo?', 'Ampliar una fecha límite'],
    ['Assign a course', 'Who must take it?', 'Extend a due date'],
  ],
  [
    'reports',
    () => '/hr/reports',
    ['Berichte', 'Compliance-Bericht (PDF)', 'Schulungsstand (CSV)', 'CSV herunterladen'],
    ['Informes', 'Informe de cumplimiento (PDF)', 'Estado de la formación (CSV)', 'Descargar CSV'],
    ['Reports', 'Compliance report (PDF)', 'Download CSV', 'Any state'],
  ],
];

describe('HR pages in the language the browser asks for', () => {
  for (const [name, url, german, spanish, english] of PAGES) {
    it(`${name} in German`, async () => {
      const text = await page(url, 'de');
      for (const phrase of german) expect(text, phrase).toContain(phrase);
      for (const phrase of english) expect(text, phrase).not.toContain(phrase);
    });
    it(`${name} in Spanish`, async () => {
      const text = await page(url, 'es');
      for (const phrase of spanish) expect(text, phrase).toContain(phrase);
      for (const phrase of english) expect(text, phrase).not.toContain(phrase);
    });
  }

  it('keeps English without Accept-Language', async () => {
    const text = await page(() => '/hr', 'en');
    expect(text).toContain('1 unanswered question or suggestion');
    expect(text).toContain('0 messages failed to send');
  });
});
