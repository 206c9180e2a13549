import { describe, expect, it } from 'vitest';
import {
  CODE_BYTES,
  CODE_PATTERN,
  formatCertificateCode,
  normaliseCertificateCode,
} from '../../../src/domain/certificate-code.js';
import { newCertificateCode } from '../../../src/services/records/certificates.js';

describe('certificate codes', () => {
  it('write 80 bits as four groups of four base32 characters', () => {
    expect(formatCertificateCode(new Uint8Array(CODE_BYTES))).toBe('AAAA-AAAA-AAAA-AAAA');
    expect(formatCertificateCode(new Uint8Array(CODE_BYTES).fill(255))).toBe('7777-7777-7777-7777');
    // 0x08 0x42 … : 00001 00001 00001 00001 … → "BBBB…"
    expect(formatCertificateCode(Uint8Array.from([8, 66, 16, 132, 33, 8, 66, 16, 132, 33]))).toBe(
      'BBBB-BBBB-BBBB-BBBB',
    );
  });

  it('refuse a wrong number of bytes', () => {
    expect(() => formatCertificateCode(new Uint8Array(4))).toThrow();
  });

  it('are random, well-formed and distinct', () => {
    const codes = new Set(Array.from({ length: 200 }, newCertificateCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(new RegExp(CODE_PATTERN));
  });

  it('are compared in upper case', () => {
    expect(normaliseCertificateCode(' abcd-efgh-ijkl-mnop ')).toBe('ABCD-EFGH-IJKL-MNOP');
  });
});
