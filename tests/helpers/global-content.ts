import type { TestProject } from 'vitest/node';
import { loadShippedContent } from './shipped-content.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** courses/ loaded and checked once for the run, as JSON (tests/helpers/shipped-content.ts). */
    shippedContent?: string;
  }
}

/**
 * Loads and checks the shipped courses once per run and hands them to every test file: vitest runs
 * each file in its own process, so without this every test app paid the course checks again (1–5 s).
 * Tests that need the app's own loading from disk ask createTestApp for `contentFrom: 'disk'`.
 */
export default async function setup(project: TestProject) {
  project.provide('shippedContent', await loadShippedContent());
}
