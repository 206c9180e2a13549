import { defineConfig } from 'vitest/config';

// Three projects: fast pure unit tests, integration tests through the real app and a real
// FerretDB (started once per run by the global setup, one database per test file; the shipped
// courses are loaded and checked once per run too, tests/helpers/global-content.ts; Ralph, the LRS
// the xAPI tests read back from, is installed once into .cache/, tests/helpers/global-ralph.ts), and
// browser tests in Debian's Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: [
            'tests/helpers/global-ferretdb.ts',
            'tests/helpers/global-content.ts',
            'tests/helpers/global-ralph.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: [
            'tests/helpers/global-ferretdb.ts',
            'tests/helpers/global-content.ts',
            'tests/helpers/global-ralph.ts',
          ],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
