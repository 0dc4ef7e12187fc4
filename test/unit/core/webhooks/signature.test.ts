import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { signWebhook, webhookHeaders } from '../../../../src/core/webhooks/signature.js';
import { generateSecret } from '../../../../src/core/webhooks/endpoints.js';

describe('webhook signatures', () => {
  it('verify with the standardwebhooks reference library', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ type: 'plugin.enabled', timestamp: new Date().toISOString(), data: { plugin: 'notes' } });
    const headers = webhookHeaders(secret, 'msg_1', body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('match the library\'s own signature byte for byte', () => {
    const secret = generateSecret();
    const when = new Date(1_700_000_000_000);
    expect(signWebhook(secret, 'msg_2', 1_700_000_000, '{"a":1}')).toBe(new Webhook(secret).sign('msg_2', when, '{"a":1}'));
  });

  it('fail verification with a wrong secret', () => {
    const body = '{"type":"plugin.enabled"}';
    const headers = webhookHeaders(generateSecret(), 'msg_3', body);
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow(/signature/i);
  });

  it('fail verification when the body was changed on the way', () => {
    const secret = generateSecret();
    const headers = webhookHeaders(secret, 'msg_4', '{"plugin":"a"}');
    expect(() => new Webhook(secret).verify('{"plugin":"b"}', headers)).toThrow();
  });
});
