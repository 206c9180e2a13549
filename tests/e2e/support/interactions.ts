/**
 * Counts what a person does to finish a task in the browser (issue #28's "at most N interactions"):
 * every click, fill, select, check, uncheck and key press is one interaction; opening the task's
 * starting page with `start` is not counted. Each action goes through this counter so a test cannot
 * forget to count one, and `done` asserts the budget and prints the count and the time taken.
 *
 *   const task = new Interactions(page, 'assign to two departments');
 *   await task.start(`${base}/hr/assignments`);
 *   await task.check('#target-departments');
 *   await task.follow('form[action="/hr/assignments"] button', /done=created/);
 *   task.done(6);
 */
import type { Download, Page } from 'playwright-core';
import { expect } from 'vitest';
import { WAIT } from './journey.js';

export class Interactions {
  /** What was done, in order ("click #x", "fill #y"), shown when the budget is exceeded. */
  readonly steps: string[] = [];
  private startedAt = Date.now();

  constructor(
    readonly page: Page,
    readonly task: string,
  ) {}

  get count(): number {
    return this.steps.length;
  }

  /** Opens the starting page (not counted) and starts the clock. */
  async start(url: string): Promise<void> {
    await this.page.goto(url);
    this.startedAt = Date.now();
  }

  async click(selector: string): Promise<void> {
    this.steps.push(`click ${selector}`);
    await this.page.locator(selector).first().click();
  }

  /** A click that navigates (a link, a submit button): one interaction, waits for the new page. */
  async follow(selector: string, url?: string | RegExp): Promise<void> {
    this.steps.push(`click ${selector}`);
    await Promise.all([
      url ? this.page.waitForURL(url, WAIT) : this.page.waitForNavigation(WAIT),
      this.page.locator(selector).first().click(),
    ]);
  }

  /** A click that downloads a file: one interaction, answers the download. */
  async download(selector: string): Promise<Download> {
    this.steps.push(`click ${selector}`);
    const [download] = await Promise.all([
      this.page.waitForEvent('download', WAIT),
      this.page.locator(selector).first().click(),
    ]);
    return download;
  }

  async fill(selector: string, value: string): Promise<void> {
    this.steps.push(`fill ${selector}`);
    await this.page.fill(selector, value);
  }

  async selectOption(selector: string, value: string | string[]): Promise<void> {
    this.steps.push(`select ${selector}`);
    await this.page.selectOption(selector, value);
  }

  async check(selector: string): Promise<void> {
    this.steps.push(`check ${selector}`);
    await this.page.check(selector);
  }

  async uncheck(selector: string): Promise<void> {
    this.steps.push(`uncheck ${selector}`);
    await this.page.uncheck(selector);
  }

  async press(selector: string, key: string): Promise<void> {
    this.steps.push(`press ${key} in ${selector}`);
    await this.page.press(selector, key);
  }

  /** Milliseconds since `start` (or since the counter was made). */
  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Asserts at most `budget` interactions and prints the count and the time taken. */
  done(budget: number): void {
    const ms = this.elapsedMs();
    process.stdout.write(`task "${this.task}": ${this.count} interactions (budget ${budget}), ${ms} ms\n`);
    expect(this.count, `"${this.task}" took: ${this.steps.join(', ')}`).toBeLessThanOrEqual(budget);
  }
}
