import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { addEndpoint, checkSecret, listEndpoints, parseEventList, readEndpoints, removeEndpoint } from '../../../../src/core/webhooks/endpoints.js';
import { webhookPaths } from '../../../../src/core/webhooks/paths.js';
import { tempDir } from '../../../helpers/pm.js';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: home, cleanup } = await tempDir('pm-wh-ep-')));
afterEach(() => cleanup());

describe('webhook endpoints', () => {
  it('are kept with their secrets in webhooks.json, readable only by the owner', async () => {
    const ep = await addEndpoint(home, { url: 'https://example.org/hook', events: 'plugin.enabled, plugin.disabled' });
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(ep.events).toEqual(['plugin.enabled', 'plugin.disabled']);
    expect((await stat(webhookPaths(home).endpoints)).mode & 0o777).toBe(0o600);
    expect(await readEndpoints(home)).toEqual([ep]);
  });

  it('are listed without their secrets', async () => {
    await addEndpoint(home, { url: 'http://127.0.0.1:9/x', events: '*', secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64') });
    const listed = await listEndpoints(home);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
  });

  it('keep a given secret as it is', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect((await addEndpoint(home, { url: 'http://localhost/x', events: '*', secret })).secret).toBe(secret);
  });

  it('are removed by id, and an unknown id is refused naming the ones there are', async () => {
    const a = await addEndpoint(home, { url: 'http://localhost/a', events: '*' });
    const b = await addEndpoint(home, { url: 'http://localhost/b', events: '*' });
    await expect(removeEndpoint(home, 'ep_nope')).rejects.toMatchObject({ code: 'WEBHOOK_UNKNOWN', hint: `endpoints: ${a.id}, ${b.id}` });
    expect((await removeEndpoint(home, a.id)).url).toBe('http://localhost/a');
    expect((await readEndpoints(home)).map((e) => e.id)).toEqual([b.id]);
  });

  it('refuse a URL that is not http or https, leaving the file as it was', async () => {
    await addEndpoint(home, { url: 'http://localhost/a', events: '*' });
    const before = await readFile(webhookPaths(home).endpoints, 'utf8');
    for (const url of ['file:///etc/passwd', 'ftp://example.org/x', 'javascript:alert(1)', 'not a url']) {
      await expect(addEndpoint(home, { url, events: '*' })).rejects.toMatchObject({ code: 'WEBHOOK_URL_INVALID', exitCode: 2 });
    }
    expect(await readFile(webhookPaths(home).endpoints, 'utf8')).toBe(before);
  });

  it('refuse an empty or unknown events list', () => {
    expect(() => parseEventList(' , ')).toThrow(expect.objectContaining({ code: 'WEBHOOK_EVENTS_INVALID' }));
    expect(() => parseEventList('plugin.enabled,plugin.exploded')).toThrow(/unknown event type: plugin\.exploded/);
    expect(parseEventList('*,tool.called,*')).toEqual(['*', 'tool.called']);
  });

  it('refuse a secret that is not whsec_ with 24 to 64 bytes', () => {
    for (const s of ['secret', 'whsec_', 'whsec_c2hvcnQ=', `whsec_${Buffer.alloc(65).toString('base64')}`, 'whsec_!!!!']) {
      expect(() => checkSecret(s)).toThrow(expect.objectContaining({ code: 'WEBHOOK_SECRET_INVALID' }));
    }
  });

  it('report a damaged webhooks.json instead of treating it as empty', async () => {
    await writeFile(webhookPaths(home).endpoints, '{"endpoints": ');
    await expect(readEndpoints(home)).rejects.toMatchObject({ code: 'WEBHOOKS_FILE_CORRUPT' });
  });
});
