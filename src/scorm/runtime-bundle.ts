import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The runtime each package carries: SCORM's (the LMS's JavaScript API) or cmi5's (xAPI over HTTP, issue #27). */
export type RuntimeEntry = 'scorm' | 'cmi5';

const ENTRIES: Record<RuntimeEntry, string> = {
  scorm: fileURLToPath(new URL('./runtime/main.ts', import.meta.url)),
  cmi5: fileURLToPath(new URL('./runtime/cmi5-main.ts', import.meta.url)),
};

const cached = new Map<RuntimeEntry, Promise<string>>();

/**
 * The SCO's script: the entry and the domain quiz rules it imports (the same draw and grading code
 * the web app uses), bundled once per process into one IIFE exposing `ScoRuntime`. ES2017 because
 * corporate LMSs still launch packages in old embedded browsers.
 */
export function runtimeBundle(entry: RuntimeEntry = 'scorm'): Promise<string> {
  let hit = cached.get(entry);
  if (!hit) {
    hit = build({
      entryPoints: [ENTRIES[entry]],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'ScoRuntime',
      platform: 'browser',
      target: 'es2017',
      minify: true,
      legalComments: 'none',
      charset: 'utf8',
    }).then((result) => result.outputFiles[0]!.text);
    hit.catch(() => cached.delete(entry));
    cached.set(entry, hit);
  }
  return hit;
}
