import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCoursesDir, loadCourse } from '../../../src/content/index.js';
import type { Course } from '../../../src/domain/course.js';
import { translator } from '../../../src/i18n/translator.js';
import { say, tryAgain, useMessages, verdictName } from '../../../src/scorm/runtime/messages.js';
import { scoMessages } from '../../../src/scorm/runtime-messages.js';

let course: Course;
beforeAll(async () => {
  course = await loadCourse(path.join(defaultCoursesDir, 'social-media-policy'));
});

describe('the SCO runtime messages (scormRuntime, issue #26)', () => {
  it.each([
    [
      'en',
      'Question 3 of 13',
      'You can try again (1 attempt left).',
      'You can try again (2 attempts left).',
      'Ask first',
    ],
    [
      'es',
      'Pregunta 3 de 13',
      'Puedes volver a intentarlo (te queda 1 intento).',
      'Puedes volver a intentarlo (te quedan 2 intentos).',
      'Preguntar antes',
    ],
    [
      'de',
      'Frage 3 von 13',
      'Sie können es erneut versuchen (noch 1 Versuch).',
      'Sie können es erneut versuchen (noch 2 Versuche).',
      'Erst nachfragen',
    ],
  ] as const)(
    '%s: number slots filled in the browser, the plural pre-formatted per count',
    (lang, counter, one, two, askFirst) => {
      useMessages(scoMessages({ ...course, quiz: { ...course.quiz, maxAttempts: 3 } }, translator(lang)));
      expect(say('question.counter', { pos: 3, total: 13 })).toBe(counter);
      expect(tryAgain(1)).toBe(one);
      expect(tryAgain(2)).toBe(two);
      expect(verdictName('ask-first')).toBe(askFirst);
    },
  );

  it('Arabic uses its own plural forms (two: the dual)', () => {
    useMessages(scoMessages({ ...course, quiz: { ...course.quiz, maxAttempts: 4 } }, translator('ar')));
    expect(tryAgain(2)).toContain('محاولتان');
    expect(tryAgain(1)).toContain('محاولة واحدة');
  });
});
