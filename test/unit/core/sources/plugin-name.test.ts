import { describe, expect, it } from 'vitest';
import { serverPluginName } from '../../../../src/core/sources/plugin-name.js';

describe('serverPluginName', () => {
  it('strips the npm scope and keeps a plain name', () => {
    expect(serverPluginName('@modelcontextprotocol/server-filesystem')).toBe('server-filesystem');
    expect(serverPluginName('weather')).toBe('weather');
  });

  it('lower-cases and turns other characters into single dashes', () => {
    expect(serverPluginName('My_Server.Py')).toBe('my-server-py');
    expect(serverPluginName('mcp__thing--x')).toBe('mcp-thing-x');
  });

  it('uses --name over the package name', () => {
    expect(serverPluginName('@scope/whatever', 'files')).toBe('files');
  });

  it('refuses a --name that is not a plugin name', () => {
    expect(() => serverPluginName('x', 'Bad Name')).toThrow(expect.objectContaining({ code: 'SERVER_NAME_INVALID', message: expect.stringContaining('"Bad Name"') }));
  });

  it('refuses a package name that gives no valid plugin name, pointing at --name', () => {
    for (const bad of ['123', '@scope/9lives', '---', 'x'.repeat(60)]) {
      expect(() => serverPluginName(bad)).toThrow(expect.objectContaining({ code: 'SERVER_NAME_INVALID', hint: expect.stringContaining('--name') }));
    }
  });
});
