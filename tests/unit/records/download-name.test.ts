import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiFileName, attachmentDisposition, safeFileName } from '../../../src/domain/download-name.js';

const HEADER = /^attachment; filename="([A-Za-z0-9._-]+)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/;

describe('attachment download names', () => {
  it('keeps an ordinary name as it is in both forms', () => {
    expect(attachmentDisposition('certificate-smp-ABCD-EFGH.pdf')).toBe(
      `attachment; filename="certificate-smp-ABCD-EFGH.pdf"; filename*=UTF-8''certificate-smp-ABCD-EFGH.pdf`,
    );
  });

  it('turns paths, quotes and control characters into underscores and dot runs into one dot', () => {
    expect(safeFileName('evidence-a/../../../etc/x.json')).toBe('evidence-a_._._._etc_x.json');
    expect(safeFileName('..\\..\\boot.ini')).toBe('boot.ini');
    expect(safeFileName('a"b\r\nc\u0000d.csv')).toBe('a_b__c_d.csv');
    expect(safeFileName('.hidden')).toBe('hidden');
    expect(safeFileName('../')).toBe('download');
  });

  it('gives an ASCII fallback and the real UTF-8 name percent-encoded', () => {
    expect(asciiFileName('Zoë Łukasz Ольга.json')).toBe('Zoe_ukasz_.json');
    expect(attachmentDisposition("Dvořák's (1).pdf")).toBe(
      `attachment; filename="Dvorak_s_1_.pdf"; filename*=UTF-8''Dvo%C5%99%C3%A1k%27s%20%281%29.pdf`,
    );
  });

  it('cuts long names but keeps the extension', () => {
    const name = safeFileName(`${'x'.repeat(400)}.json`);
    expect(name).toHaveLength(150);
    expect(name.endsWith('.json')).toBe(true);
  });

  it('always builds a header of the safe shape whose filename* decodes to the cleaned name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (name) => {
        const m = HEADER.exec(attachmentDisposition(name));
        expect(m).not.toBeNull();
        const real = decodeURIComponent(m![2]!);
        expect(real).toBe(safeFileName(name));
        for (const n of [m![1]!, real]) {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach a file name.
          expect(n).not.toMatch(/[/\\"\u0000-\u001f\u007f]/);
          expect(n).not.toContain('..');
          expect(n.startsWith('.')).toBe(false);
        }
      }),
    );
  });
});
