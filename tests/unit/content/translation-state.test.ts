import { describe, expect, it } from 'vitest';
import { translationLine } from '../../../src/content/check.js';
import type { Course } from '../../../src/domain/course.js';
import {
  type CourseTranslation,
  translationFallback,
  translationState,
} from '../../../src/domain/course-translation.js';

// A translation's state is two flags (issue #26, review item 13): complete or partial, and current or
// out of date. Learners get it only when it is both complete and current (translationFallback).
const NOW = 'a'.repeat(64);
const OLD = 'b'.repeat(64);

const partial = (translatedFrom: string): CourseTranslation => ({
  language: 'ar',
  status: 'partial',
  translatedFrom,
  lessons: ['basics'],
});
const complete = (translatedFrom: string): CourseTranslation => ({
  language: 'es',
  status: 'complete',
  translatedFrom,
  lessons: ['basics', 'sharing'],
  course: { id: 'c' } as Course,
});
const baseline = { filesVersion: NOW, policyVersion: 1 };
const published = { filesVersion: NOW, policyVersion: 2 };

describe('translationState: complete/partial and current/out of date, reported together', () => {
  it('a partial translation made from an old source version is partial AND out of date', () => {
    expect(translationState(partial(OLD), baseline)).toEqual({ complete: false, current: false });
    // Learners: unchanged, the source course with the "partly translated" notice.
    expect(translationFallback(partial(OLD), baseline)).toBe('partial');
  });

  it('a partial translation of the current files is partial and current', () => {
    expect(translationState(partial(NOW), baseline)).toEqual({ complete: false, current: true });
    expect(translationFallback(partial(NOW), baseline)).toBe('partial');
  });

  it('a partial translation is out of date once a policy version is published in the app', () => {
    expect(translationState(partial(NOW), published)).toEqual({ complete: false, current: false });
  });

  it('a complete translation of the current files is complete and current: the only one served', () => {
    expect(translationState(complete(NOW), baseline)).toEqual({ complete: true, current: true });
    expect(translationFallback(complete(NOW), baseline)).toBeUndefined();
  });

  it('a complete translation of old files, or before HR translates a published version, is out of date', () => {
    expect(translationState(complete(OLD), baseline)).toEqual({ complete: true, current: false });
    expect(translationFallback(complete(OLD), baseline)).toBe('outdated');
    expect(translationState(complete(NOW), published)).toEqual({ complete: true, current: false });
    const translated = { ...published, overlayTranslated: true };
    expect(translationState(complete(NOW), translated)).toEqual({ complete: true, current: true });
    expect(translationFallback(complete(NOW), translated)).toBeUndefined();
  });

  it('no translation: the learner gets the source ("missing")', () => {
    expect(translationFallback(undefined, baseline)).toBe('missing');
  });
});

describe("content:check's line for a translation", () => {
  it('names both flags: a partial translation of an older source is partial and out of date', () => {
    expect(translationLine('c', NOW, partial(OLD))).toBe(
      `! c [ar]: partial (lessons basics), out of date (translated from ${'b'.repeat(16)}…, the source is now ${NOW}); learners get the source`,
    );
    expect(translationLine('c', NOW, partial(NOW))).toBe(
      '  c [ar]: partial (lessons basics); learners get the source',
    );
    expect(translationLine('c', NOW, complete(OLD))).toBe(
      `! c [es]: out of date (translated from ${'b'.repeat(16)}…, the source is now ${NOW}); learners get the source`,
    );
    expect(translationLine('c', NOW, complete(NOW))).toBe('✓ c [es]: complete and current');
  });
});
