import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openKeyring } from '../../../../src/core/sign/keyring.js';
import { signPackage } from '../../../../src/core/sign/sign-package.js';
import { verifyPackage } from '../../../../src/core/sign/verify-package.js';
import { packPlugin } from '../../../../src/core/pack/pack-plugin.js';
import { tempDir } from '../../../helpers/pm.js';
import { authorFolder } from '../../../helpers/sign-fixtures.js';

const tmp = await tempDir();
const publisher = join(tmp.dir, 'publisher');
let tgz: string;
let fingerprint: string;
afterAll(() => tmp.cleanup());
beforeAll(async () => {
  fingerprint = (await openKeyring(publisher).generate({ name: 'Pub' })).fingerprint;
  tgz = (await packPlugin(await authorFolder(join(tmp.dir, 'notes')), { outDir: join(tmp.dir, 'dist') })).file;
  await signPackage(tgz, { home: publisher });
});

describe('verifyPackage', () => {
  it('accepts keys passed as trustedKeys without any keyring (a registry\'s pinned key)', async () => {
    const r = await verifyPackage(tgz, { trustedKeys: [await openKeyring(publisher).exportPublic()] });
    expect(r).toMatchObject({ name: 'notes', version: '1.2.0', signer: { fingerprint, userIds: ['Pub'] } });
  });

  it('checks a package cached under another name against the name given in fileName', async () => {
    const cached = join(tmp.dir, 'cache-sha512-abc.tgz');
    await copyFile(tgz, cached);
    const opts = { provPath: `${tgz}.prov`, trustedKeys: [await openKeyring(publisher).exportPublic()] };
    await expect(verifyPackage(cached, opts)).rejects.toMatchObject({ code: 'PROVENANCE_OTHER_FILE' });
    expect((await verifyPackage(cached, { ...opts, fileName: 'notes-1.2.0.tgz' })).name).toBe('notes');
  });

  it('refuses with SIGNER_UNKNOWN when neither a keyring nor trusted keys are given', async () => {
    await expect(verifyPackage(tgz)).rejects.toMatchObject({ code: 'SIGNER_UNKNOWN', kind: 'verification' });
  });
});

describe('signPackage', () => {
  it('writes the same signed text for identical packages (only the signature packet differs)', async () => {
    const again = join(tmp.dir, 'again');
    const other = (await packPlugin(await authorFolder(join(tmp.dir, 'notes-2')), { outDir: again })).file;
    await signPackage(other, { home: publisher });
    const body = (s: string) => s.slice(0, s.indexOf('-----BEGIN PGP SIGNATURE-----'));
    expect(body(await readFile(`${other}.prov`, 'utf8'))).toBe(body(await readFile(`${tgz}.prov`, 'utf8')));
  });

  it('refuses a file that is not a package and writes no .prov', async () => {
    const junk = join(tmp.dir, 'junk.tgz');
    await copyFile(join(tmp.dir, 'notes', 'README.md'), junk);
    await expect(signPackage(junk, { home: publisher })).rejects.toMatchObject({ kind: 'verification' });
    await expect(readFile(`${junk}.prov`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
