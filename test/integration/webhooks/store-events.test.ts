// Every store change is in the webhook outbox, on disk, by the time the library call (and so the command) returns.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { installPlugin, updatePlugin } from '../../../src/core/store/install.js';
import { linkPlugin } from '../../../src/core/store/link.js';
import { setEnabled } from '../../../src/core/store/enable.js';
import { uninstallPlugin } from '../../../src/core/store/uninstall.js';
import { readState } from '../../../src/core/store/state.js';
import { addEndpoint } from '../../../src/core/webhooks/endpoints.js';
import { listSegments, readSegment } from '../../../src/core/webhooks/outbox-reader.js';
import { webhookPaths } from '../../../src/core/webhooks/paths.js';
import { storePlugin } from '../../helpers/store.js';
import { tempDir } from '../../helpers/pm.js';

const tmp = await tempDir('pm-wh-store-');
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => join(tmp.dir, `home${++n}`);
const src = (name: string, version: string) => storePlugin(join(tmp.dir, `src-${++n}`, `${name}-${version}`), name, version);

async function outbox(home: string) {
  const out = [];
  for (const seg of await listSegments(home)) out.push(...(await readSegment(home, seg)).records.map((r) => r.rec));
  return out;
}

describe('store changes in the webhook outbox', () => {
  it('records install, update, link, disable, enable and uninstall, each before its call returns', async () => {
    const home = fresh();
    const ep = await addEndpoint(home, { url: 'http://127.0.0.1:9/hook', events: '*' });
    const seen: string[] = [];
    const step = async (p: Promise<unknown>) => {
      await p;
      const recs = await outbox(home);
      seen.push(`${recs.at(-1)!.type} ${String(recs.at(-1)!.data.version)}`);
    };
    await step(installPlugin(await src('notes', '1.0.0'), { home }));
    await step(updatePlugin('notes', await src('notes', '1.1.0'), { home }));
    await step(linkPlugin(await src('notes', '1.2.0'), { home }));
    await step(setEnabled('notes', false, { home }));
    await step(setEnabled('notes', true, { home }));
    await step(uninstallPlugin('notes', { home }));
    expect(seen).toEqual(['plugin.installed 1.0.0', 'plugin.updated 1.1.0', 'plugin.installed 1.2.0', 'plugin.disabled 1.2.0', 'plugin.enabled 1.2.0', 'plugin.uninstalled 1.2.0']);
    const recs = await outbox(home);
    expect(recs[1]).toMatchObject({ data: { plugin: 'notes', version: '1.1.0', previousVersion: '1.0.0', operation: 'update' }, to: [ep.id] });
    expect(new Set(recs.map((r) => r.id)).size).toBe(6);
  });

  it('records only the types an endpoint subscribes to, and nothing (no outbox at all) without endpoints', async () => {
    const none = fresh();
    await installPlugin(await src('a', '1.0.0'), { home: none });
    expect(existsSync(webhookPaths(none).outbox)).toBe(false);

    const home = fresh();
    await addEndpoint(home, { url: 'http://127.0.0.1:9/hook', events: 'plugin.disabled' });
    await installPlugin(await src('a', '1.0.0'), { home });
    await setEnabled('a', false, { home });
    expect((await outbox(home)).map((r) => r.type)).toEqual(['plugin.disabled']);
  });

  it('fails the command when the event cannot be recorded, saying the change itself was made', async () => {
    const home = fresh();
    await addEndpoint(home, { url: 'http://127.0.0.1:9/hook', events: '*' });
    await mkdir(home, { recursive: true });
    // A file where the outbox folder belongs: nothing can be appended.
    await writeFile(webhookPaths(home).outbox, 'in the way');
    await expect(installPlugin(await src('a', '1.0.0'), { home })).rejects.toMatchObject({
      code: 'WEBHOOK_OUTBOX_FAILED', message: expect.stringMatching(/^a was installed, but its webhook event could not be recorded/),
    });
    expect((await readState(home)).plugins.a?.version).toBe('1.0.0');
  });
});
