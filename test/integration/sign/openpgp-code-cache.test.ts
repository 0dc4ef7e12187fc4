import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOpenpgpWithCodeCache } from '../../../src/core/sign/openpgp-code-cache.js';
import { repoRoot, tempDir } from '../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

// Each check runs in a fresh Node process: inside one process V8's own compilation cache would
// answer the second compile, and the code cache would never be consulted.
const moduleUrl = pathToFileURL(join(repoRoot, 'dist/core/sign/openpgp-code-cache.js')).href;
async function loadIn(cacheFile: string): Promise<{ rejected: boolean; verified: boolean }> {
  const script = `
    import { readFileSync } from 'node:fs';
    import { compileOpenpgp } from ${JSON.stringify(moduleUrl)};
    const c = compileOpenpgp(readFileSync(${JSON.stringify(cacheFile)}));
    const openpgp = c.run();
    const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name: 'T' }], format: 'object' });
    const signed = await openpgp.sign({ message: await openpgp.createCleartextMessage({ text: 'pm provenance v1\\n' }), signingKeys: privateKey });
    const r = await openpgp.verify({ message: await openpgp.readCleartextMessage({ cleartextMessage: signed }), verificationKeys: publicKey, expectSigned: true });
    console.log(JSON.stringify({ rejected: c.script.cachedDataRejected, verified: await r.signatures[0].verified }));`;
  const r = await execa(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(r.stdout) as { rejected: boolean; verified: boolean };
}

describe('openpgp with a V8 code cache', () => {
  it('loads a working openpgp from the cache the build wrote, and V8 accepts that cache', async () => {
    expect(await loadIn(join(repoRoot, 'dist/core/sign/openpgp.code-cache'))).toEqual({ rejected: false, verified: true });
  });

  it('still loads a working openpgp when the cache does not fit (e.g. another Node version): V8 rejects it and compiles', async () => {
    const bad = join(tmp.dir, 'bad.code-cache');
    await writeFile(bad, 'not a V8 code cache');
    expect(await loadIn(bad)).toEqual({ rejected: true, verified: true });
  });

  it('gives undefined when there is no cache beside the module (running from src/), so the caller imports openpgp', () => {
    expect(loadOpenpgpWithCodeCache()).toBeUndefined();
  });
});
