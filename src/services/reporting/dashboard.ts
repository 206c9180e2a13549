import type { ReportSummaryDoc, ReportTrendDoc } from '../../db/models/reporting.js';
import { NotFound } from '../../domain/errors.js';
import type { ReportFilter, ReportState } from '../../domain/reporting.js';
import type { ListPage } from './lists.js';
import { stateListPage } from './lists.js';
import { isRefreshing, refreshSummaries, type SummaryContext, summaryFor } from './summaries.js';
import { trendFor } from './trend.js';

/** A course's stored report summary, as the dashboard reads it. */
export type ReportSummary = ReportSummaryDoc;

/** A background (re)count never keeps a page waiting; when it fails, this hears about it. */
type BackgroundErrors = (err: unknown) => void;

export interface DashboardInput {
  courseId: string;
  filter: ReportFilter;
  /** The people lists to show, each at its page. */
  lists: ReadonlyArray<{ state: ReportState; page: number }>;
  now: Date;
  onBackgroundError: BackgroundErrors;
}

export interface DashboardData {
  summary: ReportSummary;
  /** A refresh pass is running now (the page says so). */
  refreshing: boolean;
  lists: Array<{ state: ReportState; list: ListPage }>;
  /** The weekly completion-rate trend; null while its first count runs. */
  trend: ReportTrendDoc | null;
}

/**
 * The dashboard of one course: its stored summary (null while the first count runs, which this
 * starts) and a page of each people list asked for, one after the other (one or two list chunks),
 * and the course's stored weekly trend (one more read by `_id`).
 */
export async function dashboard(ctx: SummaryContext, input: DashboardInput): Promise<DashboardData | null> {
  const summary = await summaryFor(ctx, input.courseId, input.now, input.onBackgroundError);
  if (!summary) return null;
  const lists: DashboardData['lists'] = [];
  for (const { state, page } of input.lists)
    lists.push({ state, list: await stateListPage(ctx.models, summary, state, input.filter, page) });
  const trend = await trendFor(ctx.models, {
    courseId: input.courseId,
    now: input.now,
    onBackgroundError: input.onBackgroundError,
  });
  return { summary, refreshing: isRefreshing(ctx.models), lists, trend };
}

/** HR asks for fresh figures: the pass runs in the background, and the dashboard says so meanwhile. */
export async function refreshDashboard(
  ctx: SummaryContext,
  input: { courseId: string; now: Date; onBackgroundError: BackgroundErrors },
): Promise<void> {
  if (!ctx.courses.has(input.courseId)) throw new NotFound('reports.errors.noCourse');
  refreshSummaries(ctx, input.now).catch(input.onBackgroundError);
}
