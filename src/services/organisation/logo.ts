import { createHash } from 'node:crypto';
import { logoKind, MAX_LOGO_BYTES } from '../../domain/logo-file.js';
import type { LogoInfo } from '../../domain/org-profile.js';
import { sanitiseSvgLogo } from './svg-logo.js';

export interface CheckedLogo {
  info: LogoInfo;
  /** The bytes to store and serve: the PNG as uploaded, or the sanitised SVG. */
  data: Buffer;
}

/** Checks an uploaded logo by its content: a PNG, or an SVG that passes the sanitiser; ≤ 200 KB. */
export function checkLogo(
  upload: Buffer,
):
  | { ok: true; logo: CheckedLogo }
  | { ok: false; message: string; values?: Record<string, string | number> } {
  if (upload.length === 0) return { ok: false, message: 'admin.org.errors.logoEmpty' };
  if (upload.length > MAX_LOGO_BYTES)
    return { ok: false, message: 'admin.org.errors.logoTooLarge', values: { kb: MAX_LOGO_BYTES / 1024 } };
  const kind = logoKind(upload);
  if (kind === null) return { ok: false, message: 'admin.org.errors.logoType' };
  let data = upload;
  if (kind === 'svg') {
    const checked = sanitiseSvgLogo(upload.toString('utf8'));
    if (!checked.ok) return { ok: false, message: checked.message, values: checked.values };
    data = Buffer.from(checked.svg, 'utf8');
  }
  const contentType = kind === 'png' ? 'image/png' : 'image/svg+xml';
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { ok: true, logo: { info: { contentType, sha256, bytes: data.length }, data } };
}
