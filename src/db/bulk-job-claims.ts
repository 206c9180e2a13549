import { isDuplicateKey } from './connection.js';
import type { Models } from './models/index.js';

/**
 * Who runs a bulk job (issue #30): the `bulk_job_claims` collection, one document per start of a
 * job, `_id` = `<jobId>:<run>` (1: the confirm, then each restart). Its insert is the claim: of
 * racing confirms (a double click, two tabs, two instances) exactly one inserts. A filtered update (`{_id, status: 'preview'}`) is no
 * claim on FerretDB v1: measured, of 3 racing on one document, more than one "matched" in 51 of
 * 200 rounds, and the job ran twice. A handful of small documents per job, never read: no pruning.
 * A driver collection without a mongoose model: only this file writes it.
 */
export async function claimBulkStart(
  models: Models,
  jobId: string,
  run: number,
  now: Date,
): Promise<boolean> {
  const claims = models.BulkJob.db.collection<{ _id: string; at: Date }>('bulk_job_claims');
  try {
    await claims.insertOne({ _id: `${jobId}:${run}`, at: now });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
