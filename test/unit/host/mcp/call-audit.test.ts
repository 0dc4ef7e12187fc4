import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CallAudit } from '../../../../src/host/mcp/call-audit.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('CallAudit', () => {
  it('appends one JSON line per call to logs/audit.log, after what is already there, with the session, client and request that made it', async () => {
    const home = join(tmp.dir, 'home');
    const first = new CallAudit(home);
    first.record({ plugin: 'notes', tool: 'add' }, 12.3456, true);
    await first.close();
    const second = new CallAudit(home);
    second.record({ plugin: 'notes', tool: 'delete' }, 1, false, { transport: 'stdio', sessionId: 's-1', client: { name: 'claude-ai', version: '0.1.0' }, requestId: 7, progressToken: 'p', signal: new AbortController().signal });
    await second.close();
    const lines = (await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { time: expect.any(String), action: 'tool-call', plugin: 'notes', tool: 'add', ok: true, ms: 12.35, user: expect.any(String) },
      { time: expect.any(String), action: 'tool-call', plugin: 'notes', tool: 'delete', ok: false, ms: 1, user: expect.any(String), transport: 'stdio', session: 's-1', client: { name: 'claude-ai', version: '0.1.0' }, request: 7 },
    ]);
  });

  it('writes nothing and creates no file when no call was made', async () => {
    const home = join(tmp.dir, 'idle');
    await new CallAudit(home).close();
    await expect(readFile(join(home, 'logs', 'audit.log'))).rejects.toThrow(/ENOENT/);
  });
});
