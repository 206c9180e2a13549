import { isDeepStrictEqual } from 'node:util';
import { inject } from 'vitest';
import { defaultCoursesDir, loadCourses } from '../../src/content/index.js';
import { servableTranslations } from '../../src/content/translation/index.js';
import type { Course } from '../../src/domain/course.js';
import type { BrokenTranslation, CourseTranslation } from '../../src/domain/course-translation.js';

/** The courses under courses/ and their translations, as the app loads them at start-up. */
export interface ShippedContent {
  courses: Map<string, Course>;
  translations: Map<string, CourseTranslation[]>;
  broken: Map<string, BrokenTranslation[]>;
}

interface Wire {
  courses: [string, Course][];
  translations: [string, CourseTranslation[]][];
  broken: [string, BrokenTranslation[]][];
}

/**
 * Loads and checks courses/ with the app's own loader (schema, bank linter, guessing simulation,
 * translations' structural check): 1–5 s, done once per run by the global setup instead of once per
 * test app. Returns it as JSON for `provide`, after proving that JSON gives back exactly what was
 * loaded: a course gaining a Date, Map, undefined field, class instance or another dictionary without
 * prototype fails here, loudly, until `revive` restores it, rather than reaching the tests changed.
 */
export async function loadShippedContent(): Promise<string> {
  const courses = await loadCourses(defaultCoursesDir);
  const { translations, broken } = await servableTranslations(defaultCoursesDir, courses.keys(), () => {});
  const loaded: ShippedContent = { courses, translations, broken };
  const json = JSON.stringify({
    courses: [...courses],
    translations: [...translations],
    broken: [...broken],
  } satisfies Wire);
  if (!isDeepStrictEqual(revive(json), loaded)) {
    throw new Error(
      'tests/helpers/shipped-content.ts: the loaded courses do not survive JSON (a Date, Map, Set, undefined field or class instance?); revive them explicitly here',
    );
  }
  return json;
}

function revive(json: string): ShippedContent {
  const wire = JSON.parse(json) as Wire;
  for (const [, course] of wire.courses) reviveCourse(course);
  for (const [, list] of wire.translations) for (const tr of list) if (tr.course) reviveCourse(tr.course);
  return {
    courses: new Map(wire.courses),
    translations: new Map(wire.translations),
    broken: new Map(wire.broken),
  };
}

/** What JSON loses of a course: the decision tree's nodes are a dictionary without prototype (content/decision-tree.ts). */
function reviveCourse(course: Course): void {
  course.decisionTree.nodes = Object.assign(Object.create(null), course.decisionTree.nodes);
}

/**
 * A fresh copy of the run's shipped content for one app (the app resolves its courses Map in place,
 * so two apps never share one), or undefined where no global setup provided it.
 */
export function shippedContent(): ShippedContent | undefined {
  const json = inject('shippedContent');
  return json === undefined ? undefined : revive(json);
}
