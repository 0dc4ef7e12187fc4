import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
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
});
