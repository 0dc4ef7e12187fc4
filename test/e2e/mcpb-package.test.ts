import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { connectStdio } from '../helpers/serve.js';
import { extractBundleZip } from '../../src/core/sources/mcpb-zip.js';

// pm plugin-package --format mcpb: checked by the official mcpb CLI, and installed back by pm.
const tmp = await tempDir('pm-e2e-mcpb-pack-');
afterAll(() => tmp.cleanup());
const mcpbCli = join(repoRoot, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const plugin = join(repoRoot, 'test', 'fixtures', 'servers', 'python-notes');

describe('pm plugin-package --format mcpb', () => {
  it('writes the same bytes twice, a bundle mcpb info reads and whose manifest mcpb validate accepts, which pm installs and serves', async () => {
    const a = join(tmp.dir, 'a');
    const b = join(tmp.dir, 'b');
    await mkdir(a);
    await mkdir(b);
    const one = await pm(['plugin-package', plugin, '--format', 'mcpb', '--out', a, '--json']);
    const two = await pm(['plugin-package', plugin, '--format', 'mcpb', '--out', b, '--json']);
    expect(one.exitCode, one.stderr).toBe(0);
    const r1 = JSON.parse(one.stdout);
    expect(r1).toMatchObject({ name: 'python-notes', version: '1.0.0', file: join(a, 'python-notes-1.0.0.mcpb') });
    expect(JSON.parse(two.stdout).sha256).toBe(r1.sha256);
    const info = await execa(process.execPath, [mcpbCli, 'info', r1.file]);
    expect(info.stdout).toContain('python-notes-1.0.0.mcpb');
    const x = join(tmp.dir, 'x');
    await extractBundleZip(await readFile(r1.file), 'python-notes-1.0.0.mcpb', x);
    const v = await execa(process.execPath, [mcpbCli, 'validate', join(x, 'manifest.json')]);
    expect(v.stdout).toContain('Manifest schema validation passes');
    const home = join(tmp.dir, 'home');
    const inst = await pm(['plugin-install', r1.file, '--allow-unsigned', '--yes', '--home', home]);
    expect(inst.exitCode, inst.stderr).toBe(0);
    const s = await connectStdio(home);
    try {
      const r = await s.client.callTool({ name: 'python-notes__add', arguments: { a: 2, b: 3 } });
      expect(JSON.stringify(r.content), s.stderr()).toContain('5');
    } finally {
      await s.close();
    }
  }, 90_000);

  it('refuses a module plugin (exit 2), writing nothing', async () => {
    const out = join(tmp.dir, 'mod');
    await mkdir(out);
    const r = await pm(['plugin-package', join(repoRoot, 'test', 'fixtures', 'serve-plugins', 'echo'), '--format', 'mcpb', '--out', out]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a server plugin');
    expect((await execa('ls', ['-A', out])).stdout).toBe('');
  });
});
