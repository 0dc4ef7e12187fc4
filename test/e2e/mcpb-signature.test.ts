import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

// Bundles signed by the official mcpb CLI with certificates openssl makes here (offline).
const tmp = await tempDir('pm-e2e-mcpb-sig-');
afterAll(() => tmp.cleanup());
const mcpbCli = join(repoRoot, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const at = (f: string) => join(tmp.dir, f);
const openssl = (...args: string[]) => execa('openssl', args, { cwd: tmp.dir });
const home = at('home');
const install = (file: string, ...extra: string[]) => pm(['plugin-install', file, '--yes', '--config', 'api_key=sk-node-secret-42', '--home', home, ...extra]);
const state = async () => (existsSync(join(home, 'state.json')) ? readFile(join(home, 'state.json'), 'utf8') : '(none)');

async function signedCopy(name: string, cert: string, key: string): Promise<string> {
  const out = at(name);
  await copyFile(at('plain.mcpb'), out);
  await execa(process.execPath, [mcpbCli, 'sign', out, '-c', at(cert), '-k', at(key)]);
  return out;
}

beforeAll(async () => {
  await execa(process.execPath, [mcpbCli, 'pack', join(repoRoot, 'test', 'fixtures', 'mcpb', 'node-env'), at('plain.mcpb')]);
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=Self Signer/O=pm tests');
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Test CA/O=pm tests',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=Publisher/O=pm tests');
  await writeFile(at('leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n');
  await openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext');
}, 120_000);

describe('signed MCP Bundles', () => {
  it('refuses a self-signed bundle from an untrusted signer (exit 4), naming the signer; --allow-unsigned installs it and plugin-info says self-signed', async () => {
    const file = await signedCopy('self.mcpb', 'self.pem', 'self.key');
    const r = await install(file);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: self.mcpb is self-signed by CN=Self Signer, O=pm tests (sha256 ');
    expect(await state()).toBe('(none)');
    const ok = await install(file, '--allow-unsigned');
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('self-signed by CN=Self Signer, O=pm tests, which you do not trust');
    expect((await pm(['plugin-info', 'node-env', '--home', home])).stdout).toContain('(self-signed by CN=Self Signer, O=pm tests, not trusted)');
  }, 60_000);

  it('installs a bundle signed by a certificate issued by a CA trusted with keys-trust-x509, without --allow-unsigned', async () => {
    const t = await pm(['keys-trust-x509', at('ca.pem'), '--yes', '--home', home]);
    expect(t.exitCode, t.stderr).toBe(0);
    expect(t.stdout).toContain('trusted X.509 signer CN=Test CA, O=pm tests (self-signed)');
    const file = await signedCopy('leaf.mcpb', 'leaf.pem', 'leaf.key');
    const r = await install(file, '--force');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('signed by CN=Publisher, O=pm tests (trusted)');
    expect((await pm(['plugin-info', 'node-env', '--home', home])).stdout).toContain('(signed by CN=Publisher, O=pm tests, trusted)');
  }, 60_000);

  it('refuses a tampered signed bundle with exit 4 even though its signer is trusted, leaving the store unchanged', async () => {
    const file = await signedCopy('tampered.mcpb', 'leaf.pem', 'leaf.key');
    const bytes = await readFile(file);
    bytes[120] ^= 0xff;
    await writeFile(file, bytes);
    const before = await state();
    const r = await install(file, '--force', '--allow-unsigned');
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: refused tampered.mcpb: its signature does not verify');
    expect(await state()).toBe(before);
  }, 60_000);

  it('refuses a signature block whose length does not fit (exit 4)', async () => {
    const file = at('cut.mcpb');
    const signed = await readFile(await signedCopy('whole.mcpb', 'leaf.pem', 'leaf.key'));
    await writeFile(file, Buffer.concat([signed.subarray(0, signed.length - 40), signed.subarray(signed.length - 12)]));
    const r = await install(file, '--force', '--allow-unsigned');
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('its signature block is damaged');
  }, 60_000);
});
