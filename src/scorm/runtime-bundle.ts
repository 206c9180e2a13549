import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('./runtime/main.ts', import.meta.url));

let cached: Promise<string> | undefined;

/**
 * The SCO's script: runtime/main.ts and the domain quiz rules it imports (the same draw and
 * grading code the web app uses), bundled once per process into one IIFE exposing `ScoRuntime`.
 * ES2017 because corporate LMSs still launch packages in old embedded browsers.
 */
export function runtimeBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [ENTRY],
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
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
