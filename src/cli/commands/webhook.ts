import type { Command } from 'commander';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';
import { table } from '../table.js';

function seconds(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw usageError(`${flag} '${raw}' is not a number of seconds`, `give a positive number, e.g. ${flag} 30`);
  return n;
}

/** Registers webhook-add, -list, -remove, -test, -deliveries, -redeliver and -flush. */
export function register(program: Command): void {
  program
    .command('webhook-add')
    .description('send signed events (Standard Webhooks) to an http(s) URL; the secret is shown once')
    .argument('<url>', 'the receiver, http:// or https://')
    .requiredOption('--events <types>', 'comma-separated event types, or * for all but tool.called')
    .option('--secret <whsec>', 'signing secret whsec_<base64> (default: a new random one)')
    .option('--include-payloads', 'tool.called events carry the arguments and result')
    .addHelpText('after', `
Examples:
  $ pm webhook-add https://example.org/hooks/pm --events '*'
  $ pm webhook-add http://127.0.0.1:9000/pm --events plugin.enabled,plugin.disabled
  $ pm webhook-add https://example.org/hooks/calls --events tool.called

Event types and the delivery guarantees: docs/webhooks.md.`)
    .action(action(async ({ out, home }, url: string, opts: { events: string; secret?: string; includePayloads?: boolean }) => {
      const { addEndpoint } = await import('../../core/webhooks/endpoints.js');
      const ep = await addEndpoint(home, { url, events: opts.events, secret: opts.secret, includePayloads: opts.includePayloads });
      out.result(ep, () => [
        `added webhook ${ep.id} → ${ep.url} (${ep.events.join(', ')})`,
        ...(opts.secret ? [] : [`secret (shown only now; verify signatures with it): ${ep.secret}`]),
        `try it: pm webhook-test ${ep.id}`,
      ]);
    }));

  program
    .command('webhook-list')
    .description('list the webhook endpoints (never their secrets)')
    .action(action(async ({ out, home }) => {
      const { listEndpoints } = await import('../../core/webhooks/endpoints.js');
      const { pendingCounts } = await import('../../core/webhooks/deliveries.js');
      const endpoints = await listEndpoints(home);
      const pending = await pendingCounts(home);
      const rows = endpoints.map((e) => ({ ...e, pending: pending[e.id] ?? 0 }));
      out.result({ endpoints: rows }, () => rows.length
        ? table([['ID', 'URL', 'EVENTS', 'PENDING'], ...rows.map((e) => [e.id, e.url, e.events.join(',') + (e.includePayloads ? ' (+payloads)' : ''), String(e.pending)])])
        : ["no webhooks: add one with 'pm webhook-add <url> --events <types>'"]);
    }));

  program
    .command('webhook-remove')
    .description('remove a webhook endpoint (its undelivered events are dropped)')
    .argument('<id>', 'endpoint id (see pm webhook-list)')
    .action(action(async ({ out, home }, id: string) => {
      const { removeEndpoint } = await import('../../core/webhooks/endpoints.js');
      const { removeEndpointState } = await import('../../core/webhooks/outbox-state.js');
      const ep = await removeEndpoint(home, id);
      await removeEndpointState(home, id);
      out.result({ removed: ep }, () => `removed webhook ${ep.id} (${ep.url})`);
    }));

  program
    .command('webhook-test')
    .description('send a signed webhook.test event to an endpoint now and show the receiver\'s answer')
    .argument('<id>', 'endpoint id (see pm webhook-list)')
    .option('--timeout <seconds>', 'how long to wait for the receiver', '10')
    .action(action(async ({ out, home }, id: string, opts: { timeout: string }) => {
      const timeoutMs = seconds(opts.timeout, '--timeout') * 1000;
      const { sendTestEvent } = await import('../../core/webhooks/send-test.js');
      const r = await sendTestEvent(home, id, { timeoutMs });
      out.result(r, () => `${r.url} answered ${r.status} in ${r.ms} ms (webhook-id ${r.event})`);
    }));

  program
    .command('webhook-deliveries')
    .description('recent webhook deliveries: pending, retrying, delivered and dead-lettered, newest first')
    .option('--failed', 'only the retrying and dead-lettered ones')
    .option('--limit <n>', 'at most this many rows', '50')
    .action(action(async ({ out, home }, opts: { failed?: boolean; limit: string }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw usageError(`--limit '${opts.limit}' is not a positive whole number`, 'e.g. --limit 100');
      const { listDeliveries } = await import('../../core/webhooks/deliveries.js');
      const rows = await listDeliveries(home, { failed: opts.failed, limit });
      out.result({ deliveries: rows }, () => rows.length
        ? table([['DELIVERY', 'TYPE', 'STATUS', 'ATTEMPTS', 'LAST', 'AT'], ...rows.map((r) => [
          r.id, r.type, r.status, String(r.attempts), r.lastError ?? (r.lastStatus ? String(r.lastStatus) : '-'), r.nextAttemptAt ? `${r.at} (next ${r.nextAttemptAt})` : r.at,
        ])])
        : [opts.failed ? 'no failed deliveries' : 'no deliveries yet']);
    }));

  program
    .command('webhook-redeliver')
    .description('queue a delivery again (same webhook-id) for its endpoint')
    .argument('<delivery-id>', '<event id>:<endpoint id>, as pm webhook-deliveries shows it')
    .action(action(async ({ out, home }, id: string) => {
      const { redeliver } = await import('../../core/webhooks/deliveries.js');
      const r = await redeliver(home, id);
      out.result(r, () => `queued ${r.event.id} (${r.event.type}) for ${r.endpoint} again; pm serve delivers it, or run pm webhook-flush`);
    }));

  program
    .command('webhook-flush')
    .description('deliver every pending webhook event now, retrying with a short backoff until done or the timeout')
    .option('--timeout <seconds>', 'give up after this long (exit 1, naming how many are left)', '30')
    .action(action(async ({ out, home }, opts: { timeout: string }) => {
      const timeoutMs = seconds(opts.timeout, '--timeout') * 1000;
      const { flushWebhooks } = await import('../../core/webhooks/flush.js');
      const r = await flushWebhooks(home, { timeoutMs, log: (_l, m) => out.debug(m) });
      out.result(r, () => r.deliveredBy
        ? `pm process ${r.deliveredBy} delivered everything pending`
        : `delivered ${r.delivered} event${r.delivered === 1 ? '' : 's'}${r.failedAttempts ? ` (${r.failedAttempts} failed attempts retried)` : ''}${r.deadLettered ? `; ${r.deadLettered} dead-lettered` : ''}; nothing pending`);
    }));
}
