/**
 * The value formats SCORM insists on. Pure functions, unit-tested, shared by nothing but the SCO.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** SCORM 1.2 CMITimespan: `HHHH:MM:SS.SS`. */
export function scorm12Duration(ms: number): string {
  const centis = Math.max(0, Math.round(ms / 10));
  const hours = Math.min(9999, Math.floor(centis / 360_000));
  const minutes = Math.floor(centis / 6000) % 60;
  const seconds = Math.floor(centis / 100) % 60;
  return `${pad(hours, 4)}:${pad(minutes)}:${pad(seconds)}.${pad(centis % 100)}`;
}

/** SCORM 2004 timeinterval (ISO 8601 duration), at most two fractional digits: `PT1M30.5S`. */
export function scorm2004Duration(ms: number): string {
  const centis = Math.max(0, Math.round(ms / 10));
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor(centis / 6000) % 60;
  const seconds = (centis % 6000) / 100;
  let out = 'PT';
  if (hours) out += `${hours}H`;
  if (minutes) out += `${minutes}M`;
  if (seconds || out === 'PT') out += `${Number(seconds.toFixed(2))}S`;
  return out;
}

/**
 * SCORM 2004 time(second,10,2): UTC with at most two fractional-second digits
 * (`Date.toISOString()` writes three, which strict LMSs reject).
 */
export function scorm2004Timestamp(date: Date): string {
  const centis = Math.floor(date.getUTCMilliseconds() / 10);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(centis)}Z`
  );
}

/** SCORM 1.2 CMITime (time of day): `HH:MM:SS`. */
export function scorm12Time(date: Date): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
