import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../../../src/host/mcp/logger.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('createLogger', () => {
  it('writes lines at or above the level to stderr and as JSON to <home>/logs/serve.log', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    const log = createLogger({ level: 'warn', home: tmp.dir, stderr });
    log.debug('not shown');
    log.info('not shown either');
    log.warn('careful', { tool: 'a.b' });
    log.error('broken');
    await log.close();
    expect(err).toBe('pm serve warn: careful {"tool":"a.b"}\npm serve error: broken\n');
    const lines = (await readFile(join(tmp.dir, 'logs', 'serve.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.level, l.msg, l.tool])).toEqual([['warn', 'careful', 'a.b'], ['error', 'broken', undefined]]);
    expect(lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('keeps logging to stderr when the log folder cannot be created', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    const log = createLogger({ level: 'info', home: join(tmp.dir, 'logs', 'serve.log', 'below-a-file'), stderr });
    log.info('still here');
    await log.close();
    expect(err).toBe('pm serve info: still here\n');
  });

  it('escapes newlines and ANSI escapes in a message, so plugin text cannot forge a host log line (stderr and serve.log)', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += d));
    const home = join(tmp.dir, 'forge');
    const log = createLogger({ level: 'info', home, stderr });
    log.info('[p] ok\npm serve error: forged\u001b[2K\u009b', { detail: 'x\u2028y' });
    await log.close();
    expect(err).toBe('pm serve info: [p] ok\\npm serve error: forged\\u001b[2K\\u009b {"detail":"x\\u2028y"}\n');
    const file = await readFile(join(home, 'logs', 'serve.log'), 'utf8');
    expect(file.split('\n')).toHaveLength(2);
    expect(JSON.parse(file)).toMatchObject({ msg: '[p] ok\npm serve error: forged\u001b[2K\u009b', detail: 'x\u2028y' });
  });

  it('rotates serve.log by size and keeps a few files, so a noisy server cannot fill the disk', async () => {
    const home = join(tmp.dir, 'rotate');
    const log = createLogger({ level: 'info', home, stderr: new PassThrough(), file: { maxBytes: 1000, keep: 2 } });
    for (let i = 0; i < 100; i++) log.info(`line ${i} ${'x'.repeat(80)}`);
    await log.close();
    const dir = join(home, 'logs');
    expect((await readdir(dir)).sort()).toEqual(['serve.log', 'serve.log.1', 'serve.log.2']);
    for (const f of ['serve.log', 'serve.log.1', 'serve.log.2']) expect((await stat(join(dir, f))).size).toBeLessThanOrEqual(1000);
    const newest = (await readFile(join(dir, 'serve.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).msg);
    expect(newest.at(-1)).toMatch(/^line 99 /);
  });
});
