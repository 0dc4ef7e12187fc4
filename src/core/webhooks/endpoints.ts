/** Webhook endpoints in PM_HOME/webhooks.json (mode 0600: it holds the signing secrets). */
import { randomBytes } from 'node:crypto';
import { PmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import { readRegularText } from '../fs/read-regular-file.js';
import { withStoreLock } from '../store/lock.js';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './event-types.js';
import { webhookPaths } from './paths.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Event types, or `*` for every type that is not opt-in. */
  events: string[];
  /** `whsec_` + base64 key. */
  secret: string;
  /** tool.called events carry the arguments and result. */
  includePayloads: boolean;
  createdAt: string;
}

/** An endpoint as shown: everything but the secret. */
export type WebhookEndpointView = Omit<WebhookEndpoint, 'secret'>;

interface EndpointsFile {
  version: 1;
  endpoints: WebhookEndpoint[];
}

const SECRET = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** Reads the endpoints (none when the file does not exist). */
export async function readEndpoints(home: string): Promise<WebhookEndpoint[]> {
  const file = webhookPaths(home).endpoints;
  let text: string;
  try {
    text = await readRegularText(file, { what: 'the webhooks file', maxBytes: 4 * 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const v = JSON.parse(text) as Partial<EndpointsFile>;
    if (!v || typeof v !== 'object' || !Array.isArray(v.endpoints)) throw new Error('no "endpoints" list');
    return v.endpoints;
  } catch (err) {
    throw new PmError('WEBHOOKS_FILE_CORRUPT', `${file} is not valid: ${(err as Error).message}`, { hint: 'fix the file, or remove it and add the endpoints again', data: { file } });
  }
}

async function writeEndpoints(home: string, endpoints: WebhookEndpoint[]): Promise<void> {
  await writeJsonAtomic(webhookPaths(home).endpoints, { version: 1, endpoints } satisfies EndpointsFile, { mode: 0o600 });
}

/** Checks a receiver URL: http(s) only. */
export function checkWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PmError('WEBHOOK_URL_INVALID', `'${raw}' is not a URL`, { hint: 'give an http:// or https:// URL, e.g. https://example.org/hooks/pm', data: { url: raw } });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PmError('WEBHOOK_URL_INVALID', `webhook URLs must be http or https, not ${url.protocol.slice(0, -1)}`, { hint: 'give an http:// or https:// URL, e.g. https://example.org/hooks/pm', data: { url: raw } });
  }
  return url.href;
}

/** Parses `--events e1,e2` or `*` into a list of known types. */
export function parseEventList(raw: string): string[] {
  const names = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  const known = Object.keys(WEBHOOK_EVENT_TYPES).join(', ');
  if (!names.length) throw new PmError('WEBHOOK_EVENTS_INVALID', 'no event types given', { hint: `give a comma-separated list, or * for all: ${known}` });
  const unknown = names.filter((n) => n !== '*' && !isWebhookEventType(n));
  if (unknown.length) {
    throw new PmError('WEBHOOK_EVENTS_INVALID', `unknown event type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { hint: `known types: ${known} (or * for all but tool.called)`, data: { unknown } });
  }
  return names;
}

/** A new random signing secret. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Checks a given secret: `whsec_` and 24 to 64 bytes of base64. */
export function checkSecret(secret: string): string {
  const bytes = SECRET.test(secret) ? Buffer.from(secret.slice(6), 'base64').length : 0;
  if (bytes < 24 || bytes > 64) {
    throw new PmError('WEBHOOK_SECRET_INVALID', 'a webhook secret must be whsec_ followed by 24 to 64 bytes in base64', { hint: 'leave --secret out and pm generates one' });
  }
  return secret;
}

/** Adds an endpoint; returns it with its secret (shown once by the CLI). */
export async function addEndpoint(home: string, opts: { url: string; events: string; secret?: string; includePayloads?: boolean }): Promise<WebhookEndpoint> {
  const url = checkWebhookUrl(opts.url);
  const events = parseEventList(opts.events);
  const secret = opts.secret === undefined ? generateSecret() : checkSecret(opts.secret);
  const ep: WebhookEndpoint = { id: `ep_${randomBytes(6).toString('hex')}`, url, events, secret, includePayloads: Boolean(opts.includePayloads), createdAt: new Date().toISOString() };
  await withStoreLock(home, async () => writeEndpoints(home, [...(await readEndpoints(home)), ep]));
  return ep;
}

/** The endpoints without their secrets. */
export async function listEndpoints(home: string): Promise<WebhookEndpointView[]> {
  return (await readEndpoints(home)).map(({ secret: _s, ...view }) => view);
}

/** One endpoint, or WEBHOOK_UNKNOWN naming the ones there are. */
export function findEndpoint(endpoints: WebhookEndpoint[], id: string): WebhookEndpoint {
  const ep = endpoints.find((e) => e.id === id);
  if (!ep) {
    throw new PmError('WEBHOOK_UNKNOWN', `no webhook endpoint ${id}`, {
      hint: endpoints.length ? `endpoints: ${endpoints.map((e) => e.id).join(', ')}` : "add one with 'pm webhook-add <url> --events <types>'", data: { id },
    });
  }
  return ep;
}

/** Removes an endpoint (its undelivered events are dropped with it); returns what was removed. */
export async function removeEndpoint(home: string, id: string): Promise<WebhookEndpointView> {
  return withStoreLock(home, async () => {
    const all = await readEndpoints(home);
    const { secret: _s, ...view } = findEndpoint(all, id);
    await writeEndpoints(home, all.filter((e) => e.id !== id));
    return view;
  });
}
