import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `paths` (files or folders) whose name ends with one of `extensions`, sorted. */
export function filesUnder(paths: readonly string[], extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(p);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p))
        if (entry !== 'node_modules' && !entry.startsWith('.')) walk(path.join(p, entry));
    } else if (extensions.some((ext) => p.endsWith(ext)) && !p.endsWith('.d.ts')) found.push(p);
  };
  for (const p of paths) walk(p);
  return [...new Set(found)].sort();
}
