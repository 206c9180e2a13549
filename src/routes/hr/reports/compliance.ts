import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HR_ROLES } from '../../../domain/access.js';
import { parseSigningKey } from '../../../domain/audit-anchor.js';
import { dayKey } from '../../../domain/dates.js';
import { attachmentDisposition } from '../../../domain/download-name.js';
import { parseReportPeriod } from '../../../domain/reporting/period.js';
import type { Translate } from '../../../domain/state-labels.js';
import { requireUser } from '../../guards.js';
import { complianceFormView, reportStates, translatedErrors } from './compliance-form.js';

// Dates as `<input type="date">` sends them; anything else is checked by parseReportPeriod, whose
// messages the form shows beside the field (a schema error would only give a bare 400).
const ComplianceQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 20 })),
    to: Type.Optional(Type.String({ maxLength: 20 })),
    department: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** The compliance report PDF an auditor takes away: a GET, so the form needs no CSRF token and the link can be bookmarked. */
const complianceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hr/reports/compliance.pdf',
    { config: { access: HR_ROLES }, schema: { querystring: ComplianceQuery } },
    async (request, reply) => {
      const now = app.clock.now();
      const q = request.query;
      const parsed = parseReportPeriod(q, now);
      if (!parsed.ok) {
        const t: Translate = (key, values) => request.i18n!.t(key, values);
        const departments = await app.services.people.departmentNames({ now });
        const values = { from: q.from ?? '', to: q.to ?? '', department: q.department ?? '' };
        return reply.code(400).viewAsync('hr/reports/index', {
          courses: [...app.courses.values()].map((c) => ({ id: c.id, title: c.title })),
          states: reportStates(t),
          compliance: complianceFormView(values, departments, now, t, parsed.errors),
          errors: translatedErrors(parsed.errors, t),
        });
      }
      const department = q.department?.trim() ? q.department.trim() : null;
      const pem = app.config.AUDIT_SIGNING_KEY;
      const pdf = await app.services.reporting.complianceReportPdf({
        actorId: requireUser(request).id,
        period: parsed.period,
        department,
        publicKey: pem ? parseSigningKey(pem) : null,
        now,
        lang: request.i18n!.lang,
      });
      const scope = department?.replace(/\s+/g, '-') ?? 'all-departments';
      const name = `compliance-report-${dayKey(parsed.period.from)}-to-${dayKey(parsed.period.to)}-${scope}.pdf`;
      return reply
        .type('application/pdf')
        .header('content-disposition', attachmentDisposition(name))
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
};

export default complianceRoutes;
