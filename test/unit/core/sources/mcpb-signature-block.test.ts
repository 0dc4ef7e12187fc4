import { describe, expect, it } from 'vitest';
import { splitSignatureBlock } from '../../../../src/core/sources/mcpb-signature-block.js';

const block = (sig: Buffer, len = sig.length) => {
  const n = Buffer.alloc(4);
  n.writeUInt32LE(len);
  return Buffer.concat([Buffer.from('MCPB_SIG_V1'), n, sig, Buffer.from('MCPB_SIG_END')]);
};
const zip = Buffer.from('PK\u0003\u0004 pretend zip bytes');

describe('splitSignatureBlock', () => {
  it('returns the bytes unchanged when there is no block', () => {
    expect(splitSignatureBlock(zip, 'x.mcpb')).toEqual({ zip });
  });

  it('splits a block at the end into the signed ZIP bytes and the PKCS#7 signature', () => {
    const sig = Buffer.from('0\u0082 der bytes with MCPB_SIG_V1 inside them');
    const r = splitSignatureBlock(Buffer.concat([zip, block(sig)]), 'x.mcpb');
    expect(r.zip.equals(zip)).toBe(true);
    expect(r.pkcs7?.equals(sig)).toBe(true);
  });

  it('refuses a block whose length field does not reach the footer (a cut or padded signature)', () => {
    expect(() => splitSignatureBlock(Buffer.concat([zip, block(Buffer.from('abc'), 9)]), 'x.mcpb')).toThrow(expect.objectContaining({ code: 'MCPB_SIGNATURE_INVALID' }));
    expect(() => splitSignatureBlock(Buffer.concat([zip, Buffer.from('MCPB_SIG_END')]), 'x.mcpb')).toThrow('its signature block is damaged');
  });
});
