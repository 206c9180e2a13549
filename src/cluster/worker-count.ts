/** The most workers WORKERS may ask for: past this, the database's connections run out before the cores do. */
export const MAX_WORKERS = 64;

/** WORKERS as the schema accepts it: `auto` or a whole number (the range is checked in config.ts). */
export const WORKERS_PATTERN = '^(auto|[0-9]+)$';

/** Whether a WORKERS value is one the app can run with: `auto` or 1 to MAX_WORKERS. */
export function validWorkers(value: string): boolean {
  if (value === 'auto') return true;
  const n = Number(value);
  return /^[0-9]+$/.test(value) && n >= 1 && n <= MAX_WORKERS;
}

/**
 * How many app workers to run. A number is taken as it is; `auto` uses every core, less one for the
 * embedded FerretDB when the app runs it (it competes for the same cores), never fewer than one.
 * `cores` is `os.availableParallelism()` (what the process may use, cgroup limits included).
 */
export function workerCount(value: string, host: { cores: number; embeddedDatabase: boolean }): number {
  if (value !== 'auto') return Number(value);
  const cores = host.embeddedDatabase ? host.cores - 1 : host.cores;
  return Math.min(MAX_WORKERS, Math.max(1, cores));
}
