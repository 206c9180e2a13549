import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/app.js';
import { pdfFlowedText } from '../helpers/pdf-text.js';
import { DESK, type LeaversWorld, leaversWorld } from './hr-leavers-support.js';

let w: LeaversWorld;
beforeAll(async () => {
  w = await leaversWorld('hr-compliance-leavers');
  await w.leave();
});
afterAll(async () => w.t.close());

describe('compliance report and leavers', () => {
  it('names the Q3 overdue and completed people after they left, marked as having left since', async () => {
    const hr = await loginAs(w.t.app, 'hr@demo.test');
    const res = await hr.get(
      `/hr/reports/compliance.pdf?from=2026-07-01&to=2026-09-30&department=${encodeURIComponent(DESK)}`,
    );
    expect(res.statusCode).toBe(200);
    const text = await pdfFlowedText(res.rawPayload);
    expect(text).toMatch(/Assigned \(2\) .*Cora Completed \(left 16 November 2026\).*Quinn Overdue/);
    expect(text).toMatch(
      /Completed \(1\) .*Cora Completed \(left 16 November 2026\) cora@leavers\.test 10 August 2026/,
    );
    expect(text).toMatch(
      /Overdue at the end of 30 September 2026 \(1\) .*Quinn Overdue \(left 16 November 2026\) quinn@leavers\.test Leavers Desk due 15 August 2026/,
    );
  });
});
