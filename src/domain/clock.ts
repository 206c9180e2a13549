/** Source of "now". Domain functions take `now` as a parameter; the app holds one clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
