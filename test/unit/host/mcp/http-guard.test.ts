import { describe, expect, it } from 'vitest';
import { allowedNames, corsOrigin, hostAllowed, isLoopback, originAllowed, preflightHeaders, tokenMatches } from '../../../../src/host/mcp/http-guard.js';

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (h) => expect(isLoopback(h)).toBe(true));
  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '128.0.0.1'])('%s is not', (h) => expect(isLoopback(h)).toBe(false));
});

describe('DNS-rebinding protection', () => {
  const names = allowedNames('127.0.0.1');
  it('accepts this server named by a loopback name and its port', () => {
    for (const h of ['127.0.0.1:8123', 'localhost:8123', '[::1]:8123', 'LOCALHOST:8123', 'localhost']) expect(hostAllowed(h, names, 8123)).toBe(true);
  });
  it('refuses a rebound name, another port, and a missing Host', () => {
    expect(hostAllowed('evil.example:8123', names, 8123)).toBe(false);
    expect(hostAllowed('localhost:9999', names, 8123)).toBe(false);
    expect(hostAllowed('localhost.evil.example:8123', names, 8123)).toBe(false);
    expect(hostAllowed(undefined, names, 8123)).toBe(false);
  });
  it('adds the bind address and --allow-host names, but never the wildcard address', () => {
    expect(hostAllowed('192.168.1.10:80', allowedNames('192.168.1.10'), 80)).toBe(true);
    expect(hostAllowed('0.0.0.0:80', allowedNames('0.0.0.0'), 80)).toBe(false);
    expect(hostAllowed('mcp.internal:80', allowedNames('0.0.0.0', ['mcp.internal']), 80)).toBe(true);
  });
  it('lets clients without Origin through and checks browsers by origin host', () => {
    expect(originAllowed(undefined, names)).toBe(true);
    expect(originAllowed('http://localhost:6274', names)).toBe(true);
    expect(originAllowed('http://evil.example', names)).toBe(false);
    expect(originAllowed('null', names)).toBe(false);
    expect(originAllowed('file://localhost', names)).toBe(false);
    expect(originAllowed('https://app.example.org', names, ['https://app.example.org'])).toBe(true);
  });
});

describe('tokenMatches', () => {
  const token = 'a-long-enough-secret-token';
  it('accepts the exact bearer token', () => expect(tokenMatches(`Bearer ${token}`, token)).toBe(true));
  it('refuses a wrong, missing, truncated or non-bearer token', () => {
    expect(tokenMatches('Bearer wrong', token)).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
    expect(tokenMatches(`Bearer ${token.slice(0, -1)}`, token)).toBe(false);
    expect(tokenMatches(`Basic ${token}`, token)).toBe(false);
  });
});

describe('CORS', () => {
  it('grants only origins listed with --allow-origin, echoing the origin as sent', () => {
    expect(corsOrigin('https://app.example.org', ['https://App.example.org/'])).toBe('https://app.example.org');
    expect(corsOrigin('http://localhost:6274', [])).toBeUndefined();
    expect(corsOrigin('https://app.example.org.evil.example', ['https://app.example.org'])).toBeUndefined();
    expect(corsOrigin(undefined, ['https://app.example.org'])).toBeUndefined();
  });
  it('answers a preflight with the methods and headers MCP over HTTP uses, and exposes the session id', () => {
    expect(preflightHeaders('https://a.example')).toMatchObject({
      'access-control-allow-origin': 'https://a.example',
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-allow-headers': 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id',
      'access-control-expose-headers': 'Mcp-Session-Id',
      vary: 'Origin',
    });
  });
});
