import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { storePlugin } from '../helpers/store.js';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.js';

const tmp = await tempDir('pm-e2e-wh-');
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => join(tmp.dir, `home${++n}`);
const env = (home: string) => ({ PM_HOME: home, PM_WEBHOOK_RETRY_MS: '1,1,600000', PM_WEBHOOK_TIMEOUT_MS: '500' });
const run = (home: string, args: string[]) => pm(args, { env: env(home) });
const json = <T>(s: string) => JSON.parse(s) as T;

let rx: Receiver;
const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
beforeAll(async () => {
  rx = await startReceiver({ secret });
  return () => rx.close();
});

describe('pm webhook-*', () => {
  it('add shows a generated secret once; list never shows it', async () => {
    const home = fresh();
    const added = await run(home, ['webhook-add', rx.url, '--events', 'plugin.enabled,plugin.disabled']);
    expect(added.exitCode).toBe(0);
    const secretShown = /secret \(shown only now[^)]*\): (whsec_\S+)/.exec(added.stdout)?.[1];
    expect(secretShown).toMatch(/^whsec_/);
    const list = await run(home, ['webhook-list']);
    expect(list.stdout).toContain(rx.url);
    expect(list.stdout).not.toContain('whsec_');
    expect((await run(home, ['webhook-list', '--json'])).stdout).not.toContain('whsec_');
  });

  it('delivers a plugin-enable to the receiver with webhook-flush, signed so standardwebhooks verifies it', async () => {
    const home = fresh();
    const id = json<{ id: string }>((await run(home, ['webhook-add', rx.url, '--events', '*', '--secret', secret, '--json'])).stdout).id;
    const dir = await storePlugin(join(tmp.dir, 'src', 'notes'), 'notes', '1.0.0');
    expect((await run(home, ['plugin-install', dir])).exitCode).toBe(0);
    expect((await run(home, ['plugin-disable', 'notes'])).exitCode).toBe(0);
    const pending = json<{ deliveries: Array<{ status: string; type: string }> }>((await run(home, ['webhook-deliveries', '--json'])).stdout);
    expect(pending.deliveries.map((d) => `${d.type} ${d.status}`).sort()).toEqual(['plugin.disabled pending', 'plugin.installed pending']);
    const before = rx.received.length;
    const flushed = await run(home, ['webhook-flush', '--timeout', '10']);
    expect(flushed.stdout).toBe('delivered 2 events; nothing pending');
    expect(flushed.exitCode).toBe(0);
    const got = rx.received.slice(before);
    expect(got.map((r) => (JSON.parse(r.body) as { type: string; data: { plugin: string } })).map((b) => `${b.type} ${b.data.plugin}`)).toEqual(['plugin.installed notes', 'plugin.disabled notes']);
    expect(got.every((r) => r.verified)).toBe(true);
    const done = json<{ deliveries: Array<{ id: string; status: string }> }>((await run(home, ['webhook-deliveries', '--json'])).stdout);
    expect(done.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    // Redelivery queues the same event (same webhook-id) again.
    const again = await run(home, ['webhook-redeliver', done.deliveries[0]!.id]);
    expect(again.exitCode).toBe(0);
    expect((await run(home, ['webhook-flush', '--timeout', '10'])).exitCode).toBe(0);
    expect(rx.received.at(-1)!.id).toBe(done.deliveries[0]!.id.split(':')[0]);
    expect(id).toMatch(/^ep_/);
  });

  it('webhook-test sends webhook.test now and reports the status; a refusing receiver fails it with exit 1', async () => {
    const home = fresh();
    const id = json<{ id: string }>((await run(home, ['webhook-add', rx.url, '--events', '*', '--secret', secret, '--json'])).stdout).id;
    const ok = await run(home, ['webhook-test', id]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^${rx.url} answered 200 in \\d+ ms`));
    expect(JSON.parse(rx.received.at(-1)!.body)).toMatchObject({ type: 'webhook.test' });
    const down = json<{ id: string }>((await run(home, ['webhook-add', 'http://127.0.0.1:1/nobody', '--events', '*', '--json'])).stdout).id;
    const failed = await run(home, ['webhook-test', down]);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('error: http://127.0.0.1:1/nobody did not accept the test event: ECONNREFUSED');
  });

  it('webhook-flush exits 1 naming how many are left when the receiver stays down, and --failed lists them', async () => {
    const home = fresh();
    await run(home, ['webhook-add', 'http://127.0.0.1:1/nobody', '--events', '*']);
    const dir = await storePlugin(join(tmp.dir, 'src', 'down'), 'down', '1.0.0');
    await run(home, ['plugin-install', dir]);
    await run(home, ['plugin-disable', 'down']);
    const r = await run(home, ['webhook-flush', '--timeout', '1']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: 2 webhook events still undelivered after 1 s');
    const failed = json<{ deliveries: Array<{ status: string; lastError: string }> }>((await run(home, ['webhook-deliveries', '--failed', '--json'])).stdout);
    expect(failed.deliveries).toEqual([expect.objectContaining({ status: 'retrying', lastError: 'ECONNREFUSED' })]);
  });

  describe('refusals leave webhooks.json unchanged', () => {
    const cases: Array<[string, string[], number, string]> = [
      ['a URL that is not http(s)', ['webhook-add', 'file:///etc/passwd', '--events', '*'], 2, 'error: webhook URLs must be http or https, not file'],
      ['an unknown event type', ['webhook-add', 'https://example.org/h', '--events', 'plugin.enabled,plugin.exploded'], 2, 'error: unknown event type: plugin.exploded'],
      ['an empty events list', ['webhook-add', 'https://example.org/h', '--events', ','], 2, 'error: no event types given'],
      ['a bad secret', ['webhook-add', 'https://example.org/h', '--events', '*', '--secret', 'hunter2'], 2, 'error: a webhook secret must be whsec_'],
      ['removing an unknown id', ['webhook-remove', 'ep_nope'], 1, 'error: no webhook endpoint ep_nope'],
      ['testing an unknown id', ['webhook-test', 'ep_nope'], 1, 'error: no webhook endpoint ep_nope'],
      ['redelivering an unknown delivery', ['webhook-redeliver', 'msg_x:ep_nope'], 1, 'error: no webhook endpoint ep_nope'],
      ['a flush timeout that is not a number', ['webhook-flush', '--timeout', 'soon'], 2, "error: --timeout 'soon' is not a number of seconds"],
    ];
    it.each(cases)('refuses %s', async (_what, args, code, message) => {
      const home = fresh();
      await run(home, ['webhook-add', 'https://example.org/kept', '--events', '*']);
      const file = join(home, 'webhooks.json');
      const before = await readFile(file, 'utf8');
      const r = await run(home, args);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('hint: ');
      expect(r.exitCode).toBe(code);
      expect(await readFile(file, 'utf8')).toBe(before);
    });

    it('creates no webhooks.json when the first add is refused', async () => {
      const home = fresh();
      expect((await run(home, ['webhook-add', 'ftp://x', '--events', '*'])).exitCode).toBe(2);
      expect(existsSync(join(home, 'webhooks.json'))).toBe(false);
    });
  });

  it('webhook-remove drops the endpoint and its delivery state', async () => {
    const home = fresh();
    const id = json<{ id: string }>((await run(home, ['webhook-add', rx.url, '--events', '*', '--json'])).stdout).id;
    const r = await run(home, ['webhook-remove', id]);
    expect(r.stdout).toBe(`removed webhook ${id} (${rx.url})`);
    expect((await run(home, ['webhook-list'])).stdout).toContain('no webhooks');
  });
});
