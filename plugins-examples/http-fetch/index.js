// http-fetch: GET from allowed hosts only. Node 20's permission model cannot restrict the
// network, so this plugin enforces its own allowlist: a host must be in the user's config
// (allowHosts) AND in the manifest's permissions.network, which the user saw at install.
import { readFileSync } from 'node:fs';

const declared = JSON.parse(readFileSync(new URL('./plugin.json', import.meta.url), 'utf8')).permissions.network;

/** Whether `url`'s host matches one entry: `host`, `host:port` or `*.domain` (which also matches subdomains only). */
function matches(entry, url) {
  const [name, port] = entry.toLowerCase().split(':');
  if (port !== undefined && port !== (url.port || (url.protocol === 'https:' ? '443' : '80'))) return false;
  const host = url.hostname.toLowerCase();
  return name.startsWith('*.') ? host.endsWith(name.slice(1)) : host === name;
}

function refuse(text) {
  return { isError: true, content: [{ type: 'text', text }] };
}

function checkHost(url, allow) {
  if (!/^https?:$/.test(url.protocol)) return `only http and https URLs are fetched, not ${url.protocol}`;
  if (!declared.some((e) => matches(e, url))) return `${url.host} is not allowed by http-fetch's permissions.network (${declared.join(', ')}); config cannot widen that`;
  if (!allow.some((e) => matches(e, url))) return `${url.host} is not allowed (it is not in allowHosts); allow it with: pm plugin-config http-fetch allowHosts '["${url.hostname}"]'`;
  return undefined;
}

/** Reads at most `max` bytes of the body; more is an error, not a silent truncation. */
async function readCapped(res, max) {
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new RangeError(`the response is larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export default {
  tools: {
    async get(args, ctx) {
      const c = ctx.config;
      const allow = c.allowHosts ?? [];
      const max = Math.min(args.maxBytes ?? Infinity, c.maxBytes ?? 1_000_000);
      const timeoutMs = c.timeoutMs ?? 10_000;
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]);
      let url = new URL(args.url);
      for (let hop = 0; ; hop++) {
        const problem = checkHost(url, allow);
        if (problem) return refuse(problem);
        let res;
        try {
          // Redirects are followed by hand, so every hop's host is checked.
          res = await fetch(url, { redirect: 'manual', signal, headers: { 'user-agent': 'pm-http-fetch/1.0' } });
        } catch (err) {
          if (signal.aborted && !ctx.signal.aborted) return refuse(`${url.href} did not answer within ${timeoutMs} ms`);
          return refuse(`fetching ${url.href} failed: ${err.cause?.code ?? err.message}`);
        }
        if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
          await res.body?.cancel();
          if (hop >= (c.maxRedirects ?? 3)) return refuse(`too many redirects (more than ${c.maxRedirects ?? 3})`);
          url = new URL(res.headers.get('location'), url);
          continue;
        }
        const type = res.headers.get('content-type') ?? '';
        if (type && !/^(text\/|application\/(json|xml|[\w.+-]+\+(json|xml))|application\/javascript)/i.test(type)) {
          await res.body?.cancel();
          return refuse(`${url.href} is ${type}, not text`);
        }
        let body;
        try {
          body = await readCapped(res, max);
        } catch (err) {
          if (err instanceof RangeError) return refuse(`${url.href}: ${err.message} (maxBytes)`);
          if (signal.aborted && !ctx.signal.aborted) return refuse(`${url.href} did not finish within ${timeoutMs} ms`);
          throw err;
        }
        const text = body.toString('utf8');
        ctx.log.info(`GET ${url.href} ${res.status} ${body.length} bytes`);
        return {
          isError: !res.ok,
          content: [{ type: 'text', text: res.ok ? text : `HTTP ${res.status} ${res.statusText}\n${text}` }],
          structuredContent: { url: url.href, status: res.status, contentType: type, bytes: body.length },
        };
      }
    },
  },
};
