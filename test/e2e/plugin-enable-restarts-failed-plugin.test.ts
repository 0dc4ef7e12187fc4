// Issue 13.9: the hint for a plugin marked failed said "run pm plugin-enable again", which answered
// "Already enabled" and changed nothing. Enabling an enabled plugin now stamps state.json, and a
// running pm serve restarts that plugin, clearing the failed mark; the hint names that command.
import { afterAll, describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { connectStdio } from '../helpers/serve.js';
import { eventually } from '../helpers/host-plugins.js';

const tmp = await tempDir('pm-enable-restart-');
afterAll(() => tmp.cleanup());

const text = (r: unknown) => ((r as { content: { text: string }[] }).content[0]?.text ?? '');

describe('pm plugin-enable <enabled plugin> with pm serve running', () => {
  it('restarts a plugin marked failed, so it answers again once fixed', async () => {
    const home = join(tmp.dir, 'home');
    const installed = await pm(['plugin-install', join(repoRoot, 'test', 'fixtures', 'flaky-until-fixed'), '--home', home]);
    expect(installed.exitCode, installed.stderr).toBe(0);
    const marker = join(home, 'data', 'flaky', 'crash');
    await writeFile(marker, 'crash\n');
    const s = await connectStdio(home);
    try {
      // Three crashes in the window mark it failed; then calls fail at once with the hint.
      const failed = await eventually(async () => {
        const r = await s.client.callTool({ name: 'flaky__ping', arguments: {} });
        return text(r).includes('is marked failed') ? text(r) : undefined;
      }, 'the failed mark', 30_000);
      expect(failed).toContain("fix the plugin, then run 'pm plugin-enable flaky': a running pm serve restarts it");

      await rm(marker);
      // Fixed, but still failed until asked: the mark does not clear by itself.
      expect(text(await s.client.callTool({ name: 'flaky__ping', arguments: {} }))).toContain('is marked failed');

      const again = await pm(['plugin-enable', 'flaky', '--home', home]);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toContain('Already enabled: flaky@1.0.0');
      expect(again.stdout).toContain('a running pm serve restarts it now (clearing a failed state)');
      const answer = await eventually(async () => {
        const r = await s.client.callTool({ name: 'flaky__ping', arguments: {} });
        return text(r) === 'pong' ? text(r) : undefined;
      }, 'the restarted plugin to answer', 15_000);
      expect(answer).toBe('pong');
    } finally {
      await s.close();
    }
  }, 90_000);
});
