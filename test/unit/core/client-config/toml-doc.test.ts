import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { parseTomlServers } from '../../../../src/core/client-config/toml-doc.js';

const entry = { command: '/n', args: ['a', 'serve'] };

describe('parseTomlServers', () => {
  it('replaces an entry written with a quoted name and an env sub-table, keeping what follows', () => {
    const text = 'model = "m"\n\n[mcp_servers."pm"]\ncommand = "pm"\n\n[mcp_servers.pm.env]\nA = "1"\n\n[tui]\nx = true\n';
    const out = parseTomlServers(text, 'mcp_servers', 'f').set('pm', entry);
    expect(parse(out)).toEqual({ model: 'm', tui: { x: true }, mcp_servers: { pm: entry } });
    expect(out.startsWith('model = "m"\n\n[tui]\nx = true\n')).toBe(true);
  });

  it('quotes a name that is not a bare key', () => {
    const out = parseTomlServers('', 'mcp_servers', 'f').set('my.pm', entry);
    expect(out).toContain('[mcp_servers."my.pm"]');
    expect(parse(out)).toEqual({ mcp_servers: { 'my.pm': entry } });
  });

  it('refuses a file that is not TOML with CLIENT_CONFIG_INVALID', () => {
    expect(() => parseTomlServers('[mcp_servers\n', 'mcp_servers', '/c.toml')).toThrow(expect.objectContaining({ code: 'CLIENT_CONFIG_INVALID', message: expect.stringContaining('/c.toml is not valid TOML') }));
  });

  it('refuses to edit an entry given as dotted keys of [mcp_servers] rather than its own section', () => {
    const text = '[mcp_servers]\npm.command = "pm"\n';
    expect(() => parseTomlServers(text, 'mcp_servers', 'f').set('pm', entry)).toThrow(expect.objectContaining({ code: 'CLIENT_CONFIG_UNEDITABLE' }));
    expect(() => parseTomlServers(text, 'mcp_servers', 'f').remove('pm')).toThrow(expect.objectContaining({ code: 'CLIENT_CONFIG_UNEDITABLE' }));
  });
});
