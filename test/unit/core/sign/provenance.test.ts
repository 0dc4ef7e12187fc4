import { describe, expect, it } from 'vitest';
import { parseProvenanceText, provenanceText } from '../../../../src/core/sign/provenance.js';

const p = { name: 'notes', version: '1.2.0', file: 'notes-1.2.0.tgz', size: 366, integrity: `sha512-${'A'.repeat(86)}==` };

describe('provenance text', () => {
  it('holds exactly name, version, file, size and integrity, and parses back (also with CRLF)', () => {
    const text = provenanceText(p);
    expect(text).toBe(`pm provenance v1\nname: notes\nversion: 1.2.0\nfile: notes-1.2.0.tgz\nsize: 366\nintegrity: ${p.integrity}\n`);
    expect(parseProvenanceText(text)).toEqual(p);
    expect(parseProvenanceText(text.replace(/\n/g, '\r\n'))).toEqual(p);
  });

  it.each([
    ['another header', (t: string) => t.replace('pm provenance v1', 'something else'), 'does not start with'],
    ['a missing field', (t: string) => t.replace(/size: .*\n/, ''), '"size" is missing'],
    ['a duplicated field', (t: string) => t + 'name: other\n', '"name" appears twice'],
    ['a non-numeric size', (t: string) => t.replace('size: 366', 'size: lots'), '"size" is not a whole number'],
    ['a sha1 integrity', (t: string) => t.replace(/integrity: .*/, 'integrity: sha1-abc='), '"integrity" is not a sha512'],
  ])('refuses text with %s as malformed', (_what, edit, message) => {
    expect(() => parseProvenanceText(edit(provenanceText(p)))).toThrow(expect.objectContaining({ code: 'SIGNATURE_MALFORMED', kind: 'verification', message: expect.stringContaining(message) }));
  });
});
