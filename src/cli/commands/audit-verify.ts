import { verifyAuditChain } from '../../services/audit-verify.js';
import type { CliCommand } from '../types.js';

export const command: CliCommand = {
  name: 'audit:verify',
  usage:
    'audit:verify   check the whole hash-chained audit log against its daily anchors; exit 1 at the first broken link',
  needsCourses: false,
  async run(ctx) {
    const report = await verifyAuditChain(ctx.db.models);
    const anchors = `${report.anchors} daily anchor${report.anchors === 1 ? '' : 's'}`;
    if (report.ok) {
      ctx.out(`OK: audit chain intact (${report.count} events, checked against ${anchors})`);
      return 0;
    }
    ctx.out(`BROKEN at event ${report.brokenAt.seq}: ${report.brokenAt.reason}`);
    ctx.out(`${report.count} events before it verified intact (${anchors}).`);
    return 1;
  },
};
