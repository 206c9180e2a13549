import type { Clock } from '../../src/domain/clock.js';

/** A clock tests can set and advance, so time-dependent rules are tested without sleeping. */
export class TestClock implements Clock {
  private current: Date;
  constructor(start: Date | string = '2026-03-02T09:00:00Z') {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date | string): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }
  advanceDays(days: number): void {
    this.advance(days * 86_400_000);
  }
}
