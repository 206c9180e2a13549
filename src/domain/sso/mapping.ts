import { isValidEmail, normaliseEmail, ROLES, type Role } from '../roles.js';

/**
 * How the claims an identity provider sends become a person's fields. Protocol-neutral on purpose:
 * OpenID Connect gives a claims object, SAML an attribute statement; both reduce to
 * `Record<string, unknown>` and go through `mapClaims`.
 */
export interface ClaimMapping {
  /** The claim holding the person's groups (a list, or one string). */
  groupsClaim: string;
  /** Claims copied as they are ('' = not mapped). */
  departmentClaim: string;
  employeeIdClaim: string;
  /** The claim holding the manager's work e-mail. */
  managerClaim: string;
  /** First matching line wins; when lines are set and none matches, the person is an employee. */
  roleByGroup: Array<{ group: string; role: Role }>;
  departmentByGroup: Array<{ group: string; department: string }>;
}

export const DEFAULT_MAPPING: ClaimMapping = {
  groupsClaim: 'groups',
  departmentClaim: '',
  employeeIdClaim: '',
  managerClaim: '',
  roleByGroup: [],
  departmentByGroup: [],
};

/** What the claims say about the person; absent fields are left as they are on a linked person. */
export interface MappedIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  role?: Role;
  department?: string;
  employeeId?: string;
  managerEmail?: string;
  groups: string[];
}

function text(value: unknown, max = 300): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}

function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const raw = claim ? claims[claim] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((g) => text(g)).filter((g): g is string => g !== undefined);
}

/** Maps the claims of one sign-in (already verified by the protocol layer) to a person's fields. */
export function mapClaims(
  subject: string,
  claims: Record<string, unknown>,
  mapping: ClaimMapping,
): MappedIdentity {
  const groups = groupsOf(claims, mapping.groupsClaim);
  const has = (group: string) => groups.some((g) => g.toLowerCase() === group.toLowerCase());
  const rawEmail = text(claims.email, 254);
  const email = rawEmail && isValidEmail(rawEmail) ? normaliseEmail(rawEmail) : null;
  const mapped: MappedIdentity = {
    subject,
    email,
    // Only an explicit `true` counts: a provider that does not say has not verified.
    emailVerified: email !== null && (claims.email_verified === true || claims.email_verified === 'true'),
    name: text(claims.name) ?? null,
    groups,
  };
  // With a mapping set the provider's groups decide the role: leaving the admin group demotes.
  if (mapping.roleByGroup.length)
    mapped.role = mapping.roleByGroup.find((r) => has(r.group))?.role ?? 'employee';
  const department =
    mapping.departmentByGroup.find((d) => has(d.group))?.department ??
    (mapping.departmentClaim ? text(claims[mapping.departmentClaim]) : undefined);
  if (department) mapped.department = department;
  const employeeId = mapping.employeeIdClaim ? text(claims[mapping.employeeIdClaim], 60) : undefined;
  if (employeeId) mapped.employeeId = employeeId;
  const manager = mapping.managerClaim ? text(claims[mapping.managerClaim], 254) : undefined;
  if (manager && isValidEmail(manager)) mapped.managerEmail = normaliseEmail(manager);
  return mapped;
}

/** A problem on one line: `message` is a key of the admin catalogue, filled in with `values`. */
export interface LineError {
  line: number;
  message: string;
  values?: Record<string, string | number>;
}

/** Parses "group = value" lines (the admin form's text areas); blank lines are skipped. */
export function parsePairs(textValue: string): { pairs: Array<[string, string]>; errors: LineError[] } {
  const pairs: Array<[string, string]> = [];
  const errors: LineError[] = [];
  textValue.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.lastIndexOf('=');
    const left = eq > 0 ? line.slice(0, eq).trim() : '';
    const right = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (!left || !right)
      errors.push({ line: i + 1, message: 'admin.sso.errors.linePair', values: { line: i + 1 } });
    else pairs.push([left, right]);
  });
  return { pairs, errors };
}

export function parseRoleGroups(textValue: string): {
  value: ClaimMapping['roleByGroup'];
  errors: LineError[];
} {
  const { pairs, errors } = parsePairs(textValue);
  const value: ClaimMapping['roleByGroup'] = [];
  for (const [group, role] of pairs) {
    if ((ROLES as readonly string[]).includes(role)) value.push({ group, role: role as Role });
    else
      errors.push({
        line: 0,
        message: 'admin.sso.errors.notRole',
        values: { role, roles: ROLES.join(', ') },
      });
  }
  return { value, errors };
}

export function formatPairs(
  pairs: Array<{ group: string } & ({ role: string } | { department: string })>,
): string {
  return pairs.map((p) => `${p.group} = ${'role' in p ? p.role : p.department}`).join('\n');
}
