/**
 * Region names and the CSV import's file checks in the page's language (issue #26): HR's person
 * form (its choices and its "region not enabled" error), the CSV preview's region reason, the policy
 * preview's "notices shown for" line and every reason a whole CSV file is refused are worded from
 * the catalogue in Spanish and German, not in the English the domain used to put in.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as usersImport } from '../../src/cli/commands/users-import.js';
import { MAX_IMPORT_BYTES } from '../../src/domain/people-csv.js';
import { translator } from '../../src/i18n/translator.js';
import { localisedErrors } from '../../src/routes/field-errors.js';
import { COURSE_ID } from '../factories.js';
import { createTestApp, createUser, loginAs, type Session, type TestApp } from '../helpers/app.js';
import { cliContext } from '../helpers/cli.js';
import { setOrgRegions } from '../helpers/org-regions.js';
import { flatText } from '../helpers/page-text.js';
import { personFormFields } from '../helpers/person-form.js';
import { takeQuiz, viewAllLessons } from './records-helpers.js';

let t: TestApp;
let hr: Session;
type Lang = 'en' | 'es' | 'de';

/** Posts a form as a browser asking for `lang` (HR's own record names no language). */
async function postIn(lang: Lang, url: string, form: Record<string, string>, csrfPage: string) {
  const body = new URLSearchParams({ ...form, _csrf: await hr.csrf(csrfPage) });
  return hr.request({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': lang },
  });
}

const personForm = (email: string, region: string) => personFormFields({ email, name: 'Pat Region', region });

beforeAll(async () => {
  t = await createTestApp({ label: 'region-names-languages' });
  hr = await loginAs(t.app, 'hr@demo.test');
  await t.app.db.models.User.updateOne({ email: 'hr@demo.test' }, { $set: { locale: '' } });
});
afterAll(async () => t.close());

describe("HR's person form names regions in the page's language", () => {
  const cases: Array<[Lang, string, string[]]> = [
    [
      'es',
      'El perfil de la organización no activa Estados Unidos. Elige una de sus regiones (el Reino Unido o la UE y el EEE), o déjala sin indicar.',
      ['<option value="uk">Reino Unido</option>', '<option value="eu">UE/EEE</option>'],
    ],
    [
      'de',
      'Das Organisationsprofil aktiviert keine Hinweise für Beschäftigte in den Vereinigten Staaten. Wählen Sie eine seiner Regionen (für Beschäftigte im Vereinigten Königreich oder in der EU und im EWR) oder lassen Sie das Feld leer.',
      ['<option value="uk">Vereinigtes Königreich</option>', '<option value="eu">EU/EWR</option>'],
    ],
  ];
  it.each(cases)('in %s: the "region not enabled" error and the choices', async (lang, error, options) => {
    await setOrgRegions(t.app, ['uk', 'eu']);
    const refused = await postIn(
      lang,
      '/hr/people/new',
      personForm(`pat.${lang}@demo.test`, 'us'),
      '/hr/people/new',
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`lang="${lang}"`);
    expect(flatText(refused.body)).toContain(error);
    expect(refused.body).not.toContain('United');
    const blank = await hr.get('/hr/people/new', { 'accept-language': lang });
    for (const option of options) expect(blank.body).toContain(option);
    expect(blank.body).not.toContain('United Kingdom');
  });

  it("a person's page names their region in the page's language", async () => {
    const kim = await createUser(t.app, { email: 'kim.uk@demo.test', name: 'Kim Uk', region: 'uk' });
    const page = flatText((await hr.get(`/hr/employees/${kim._id}`, { 'accept-language': 'de' })).body);
    expect(page).toContain('Region Vereinigtes Königreich');
  });
});

describe('the CSV preview names regions in the page language', () => {
  it('in Spanish and German, the enabled regions of a "not enabled" row', async () => {
    await setOrgRegions(t.app, ['uk', 'eu']);
    const csv = ['email,name,region', 'cass.us@demo.test,Cass Us,US'].join('\n');
    const res = await hr.post('/hr/people/import', { csv }, '/hr/people/import');
    expect(res.statusCode).toBe(303);
    const at = res.headers.location as string;
    const page = async (lang: Lang) => flatText((await hr.get(at, { 'accept-language': lang })).body);
    expect(await page('en')).toContain(
      'Region "US" is not enabled in the organisation profile, which enables only uk (the United Kingdom), eu (the EU and EEA).',
    );
    expect(await page('es')).toContain(
      'La región "US" no está activada en el perfil de la organización, que solo activa uk (el Reino Unido), eu (la UE y el EEE).',
    );
    expect(await page('de')).toContain(
      'Die Region "US" ist im Organisationsprofil nicht aktiviert; aktiviert sind nur uk (für Beschäftigte im Vereinigten Königreich), eu (für Beschäftigte in der EU und im EWR).',
    );
  });
});

describe("the policy preview's notices line names regions in the page language", () => {
  it('in Spanish and German', async () => {
    const base = `/hr/courses/${COURSE_ID}/policy`;
    const form = await t.app.services.policy.clauseForm({ courseId: COURSE_ID, clauseId: 'SMP-05' });
    const edited = await hr.post(
      `${base}/edit`,
      { clauseId: 'SMP-05', kind: 'minor', ...form.wording, title: 'Clause five, previewed' },
      base,
    );
    expect(edited.statusCode).toBe(303);
    await setOrgRegions(t.app, ['uk', 'eu']);
    const page = async (lang: Lang) =>
      flatText((await hr.get(`${base}/preview`, { 'accept-language': lang })).body);
    expect(await page('en')).toContain('those for staff in the United Kingdom and the EU and EEA,');
    expect(await page('es')).toContain('los del personal en el Reino Unido y la UE y el EEE,');
    expect(await page('de')).toContain(
      'die für Beschäftigte im Vereinigten Königreich und in der EU und im EWR (die Regionen, die das Organisationsprofil aktiviert).',
    );
  });
});

describe("the CSV import's file checks in the page language", () => {
  const HEADER = 'email,name';
  // [what is wrong, the CSV, the Spanish reason, the German reason]
  const FILES: Array<[string, string, string, string]> = [
    [
      'an unknown column',
      'email,name,salary\na@x.test,A,1',
      'No se ha importado nada. La columna "salary" de la fila de encabezados no es ninguna de las conocidas.',
      'Es wurde nichts importiert. Die Spalte "salary" in der Kopfzeile ist unbekannt.',
    ],
    [
      'a repeated column',
      'email,name,Email\na@x.test,A,b@x.test',
      'No se ha importado nada. La columna "Email" aparece dos veces en la fila de encabezados.',
      'Es wurde nichts importiert. Die Spalte "Email" kommt in der Kopfzeile zweimal vor.',
    ],
    [
      'a missing column',
      'email,department\na@x.test,Ops',
      'No se ha importado nada. La fila de encabezados no tiene la columna "name".',
      'Es wurde nichts importiert. Der Kopfzeile fehlt die Spalte "name".',
    ],
    [
      'a header and no people',
      HEADER,
      'No se ha importado nada. El archivo tiene la fila de encabezados pero ninguna persona.',
      'Es wurde nichts importiert. Die Datei hat eine Kopfzeile, aber keine Personen.',
    ],
    [
      'binary data',
      `${HEADER}\na@x.test,A\u0000`,
      'No se ha importado nada. No es un archivo CSV de texto (contiene datos binarios).',
      'Es wurde nichts importiert. Dies ist keine CSV-Textdatei (sie enthält Binärdaten).',
    ],
    [
      'too many rows',
      [HEADER, ...Array.from({ length: 20_001 }, (_, i) => `p${i}@x.test,P ${i}`)].join('\n'),
      'No se ha importado nada. El archivo tiene más de 20.000 filas. Divídelo en archivos más pequeños.',
      'Es wurde nichts importiert. Die Datei hat mehr als 20.000 Zeilen. Teilen Sie sie in kleinere Dateien auf.',
    ],
  ];
  it.each(FILES)('%s: the page says why in Spanish and German', async (_what, csv, es, de) => {
    const previews = await t.app.db.models.ImportPreview.countDocuments();
    for (const [lang, reason] of [
      ['es', es],
      ['de', de],
    ] as const) {
      const res = await postIn(lang, '/hr/people/import', { csv }, '/hr/people/import');
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(`lang="${lang}"`);
      expect(flatText(res.body)).toContain(reason);
    }
    expect(await t.app.db.models.ImportPreview.countDocuments()).toBe(previews);
  });

  it('a file larger than the limit (bytes, not characters) is refused in the reader language', async () => {
    const csv = `${HEADER}\n${'é'.repeat(MAX_IMPORT_BYTES / 2 + 8)}`;
    const outcome = await t.app.services.people.previewPastedImport({
      csv,
      deactivateMissing: false,
      actorId: 'hr',
      now: t.app.clock.now(),
    });
    expect('errors' in outcome).toBe(true);
    if (!('errors' in outcome)) return;
    expect(localisedErrors(translator('es'), outcome.errors)[0]?.message).toBe(
      'No se ha importado nada. El archivo ocupa más de 5 MB. Divídelo en archivos más pequeños.',
    );
    expect(localisedErrors(translator('de'), outcome.errors)[0]?.message).toBe(
      'Es wurde nichts importiert. Die Datei ist größer als 5 MB. Teilen Sie sie in kleinere Dateien auf.',
    );
    expect(localisedErrors(translator('en'), outcome.errors)[0]?.message).toBe(
      'Nothing was imported. The file is larger than 5 MB. Split it into smaller files.',
    );
  });

  it('the command line keeps English, worded from the same keys', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'users-import-'));
    const file = path.join(dir, 'people.csv');
    await writeFile(file, 'email,name,salary\na@x.test,A,1\n');
    const { ctx, lines } = cliContext(t);
    expect(await usersImport.run(ctx, { positionals: [file], flags: {} })).toBe(1);
    expect(lines).toEqual(['Nothing imported: Unknown column "salary" in the header row.']);
    await setOrgRegions(t.app, ['uk']);
    await writeFile(file, 'email,name,region\nb@x.test,B,us\n');
    const rejected = cliContext(t);
    expect(await usersImport.run(rejected.ctx, { positionals: [file], flags: {} })).toBe(0);
    expect(rejected.lines).toContain(
      '    line 2 b@x.test: Region "us" is not enabled in the organisation profile, which enables only uk (the United Kingdom).',
    );
    await rm(dir, { recursive: true });
  });
});

describe("a clause notice's heading on the attestation page, in the text's language", () => {
  it('a Spanish learner reads "Aviso para el personal en Estados Unidos", not English', async () => {
    await setOrgRegions(t.app, []);
    const user = await createUser(t.app, {
      email: 'sofia.notice@demo.test',
      name: 'Sofía Aviso',
      locale: 'es',
    });
    const learner = { id: user._id, name: user.name, department: user.department };
    await viewAllLessons(t.app, learner);
    expect((await takeQuiz(t.app, learner, true)).passed).toBe(true);
    const sofia = await loginAs(t.app, 'sofia.notice@demo.test');
    const page = await sofia.get(`/learn/${COURSE_ID}/attest`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="es"');
    expect(flatText(page.body)).toContain('Aviso para el personal en Estados Unidos');
    expect(page.body).not.toContain('Notice for staff in');
  });
});
