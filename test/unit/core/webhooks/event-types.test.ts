import { describe, expect, it } from 'vitest';
import { STORE_EVENTS } from '../../../../src/core/store/events.js';
import { STORE_OPERATION_TYPES, subscribes, WEBHOOK_EVENT_TYPES } from '../../../../src/core/webhooks/event-types.js';

describe('webhook event types', () => {
  it('give every store operation a webhook type, telling updates from installs', () => {
    expect(Object.keys(STORE_OPERATION_TYPES).sort()).toEqual(Object.keys(STORE_EVENTS).sort());
    expect(STORE_OPERATION_TYPES.update).toBe('plugin.updated');
    for (const t of Object.values(STORE_OPERATION_TYPES)) expect(WEBHOOK_EVENT_TYPES).toHaveProperty([t]);
  });

  it('subscribe * to everything but the opt-in tool.called', () => {
    expect(subscribes(['*'], 'plugin.enabled')).toBe(true);
    expect(subscribes(['*'], 'server.stopping')).toBe(true);
    expect(subscribes(['*'], 'tool.called')).toBe(false);
    expect(subscribes(['*', 'tool.called'], 'tool.called')).toBe(true);
    expect(subscribes(['plugin.enabled'], 'plugin.disabled')).toBe(false);
    expect(subscribes(['*'], 'webhook.test')).toBe(false);
  });
});
