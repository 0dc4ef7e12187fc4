/**
 * Security regression (issue 13.4): a plugin's stdout went uncapped into logs/serve.log
 * (100 MB in under a second, never rotated), and newlines or ANSI escapes in its log text
 * forged host log lines on stderr. Now each plugin's output has a 64 KiB/s budget, serve.log
 * rotates by size, and control characters in log lines are escaped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir } from '../../helpers/host-plugins.js';
import { pm, tempDir } from '../../helpers/pm.js';
import { connectStdio, servePluginsDir } from '../../helpers/serve.js';

const tmp = await tempDir('pm-flood-');
afterAll(() => tmp.cleanup());

describe('a plugin flooding its output or forging log lines', () => {
  it('keeps serve.log small, keeps the neighbour answering, and never lets plugin text start a host log line', async () => {
    const home = join(tmp.dir, 'home');
    for (const dir of [join(fixturesDir, 'hostile-output-flood'), join(servePluginsDir, 'echo')]) {
      const r = await pm(['plugin-install', dir, '--home', home]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const s = await connectStdio(home);
    try {
      const flooding = s.client.callTool({ name: 'flood__flood', arguments: {} });
      const echo = await s.client.callTool({ name: 'echo__echo', arguments: { text: 'during the flood' } });
      expect(JSON.stringify(echo.content)).toContain('during the flood');
      const flood = await flooding;
      const wrote = Number(/wrote (\d+) KiB/.exec(JSON.stringify(flood.content))![1]);
      expect(wrote).toBeGreaterThan(1024);
      await s.client.callTool({ name: 'flood__forge', arguments: {} });
      await new Promise((r) => setTimeout(r, 300));
      const stderr = s.stderr();
      expect(stderr).toContain('pm serve warn: [flood] output over 64 KiB/s; dropping its output until it slows down');
      const lines = stderr.split('\n');
      expect(lines.filter((l) => l.startsWith('pm serve error: forged'))).toEqual([]);
      expect(lines.filter((l) => l.includes('forged')).length).toBe(3);
      expect(stderr).toContain('pm serve info: [flood] ok\\npm serve error: forged by ctx.log');
      expect(stderr).toContain('pm serve warn: [flood] \\r\\u001b[2Kpm serve error: forged by an escape');
      expect(stderr).toContain('[flood] line\\u2028pm serve error: forged by a separator');
    } finally {
      await s.close();
    }
    const logs = await readdir(join(home, 'logs'));
    let total = 0;
    for (const f of logs.filter((f) => f.startsWith('serve.log'))) total += (await stat(join(home, 'logs', f))).size;
    // Hundreds of MiB written; what reaches the log is 1.5 s within a 64 KiB/s budget, plus the host's own lines, as JSON.
    expect(total).toBeLessThan(1024 * 1024);
  });
});
