import { describe, expect, it } from 'vitest';
import { filterByProfile } from '../../../../src/host/mcp/profile-filter.js';
import type { RuntimeHost } from '../../../../src/host/mcp/types.js';

/** A host with tools, resources and prompts of three plugins; it records what reached it. */
function fakeHost(reached: string[]): RuntimeHost {
  return {
    tools: () => [
      { plugin: 'a', name: 'read' }, { plugin: 'a', name: 'write' },
      { plugin: 'b', name: 'read' }, { plugin: 'b', name: 'write' },
      { plugin: 'c', name: 'read' },
    ],
    resources: () => [{ plugin: 'a', uri: 'a://{id}', name: 'a' }, { plugin: 'c', uri: 'c://doc', name: 'c' }],
    prompts: () => [{ plugin: 'a', dir: '/a', prompt: { name: 'p', messages: [] } }, { plugin: 'c', dir: '/c', prompt: { name: 'p', messages: [] } }] as never,
    callTool: async (ref) => { reached.push(`call ${ref.plugin}.${ref.tool}`); return { content: [] }; },
    readResource: async (uri) => { reached.push(`read ${uri}`); return { contents: [] }; },
    serverPrompts: () => [{ plugin: 'a', name: 'sp', prompt: { name: 'sp' } }, { plugin: 'c', name: 'sp', prompt: { name: 'sp' } }],
    getServerPrompt: async (plugin, name) => { reached.push(`prompt ${plugin}.${name}`); return { messages: [] }; },
    dispatch: async (_e, value) => ({ value }),
    reload: async () => {},
    statsSnapshot: () => ({}),
    persistStats: async () => {},
    pluginNames: () => ['a', 'b', 'c'],
    linkedDirs: () => [],
    restartPluginAt: async () => {},
    close: async () => {},
  };
}

const call = { call: {} };

describe('filterByProfile', () => {
  it('lists only the profile\'s tools, and the resources and prompts of its plugins', () => {
    const h = filterByProfile(fakeHost([]), { plugins: ['a', 'b'], tools: ['a.*', 'b.read'] });
    expect(h.tools().map((t) => `${t.plugin}.${t.name}`)).toEqual(['a.read', 'a.write', 'b.read']);
    expect(h.resources().map((r) => r.uri)).toEqual(['a://{id}']);
    expect(h.prompts().map((p) => p.plugin)).toEqual(['a']);
    expect(h.pluginNames()).toEqual(['a', 'b']);
  });

  it('refuses a call to a tool outside the profile without reaching the host', async () => {
    const reached: string[] = [];
    const h = filterByProfile(fakeHost(reached), { plugins: ['a', 'b'], tools: ['a.*', 'b.read'] });
    await h.callTool({ plugin: 'b', tool: 'read' }, {}, call);
    await expect(h.callTool({ plugin: 'b', tool: 'write' }, {}, call)).rejects.toMatchObject({ code: 'TOOL_NOT_FOUND' });
    await expect(h.callTool({ plugin: 'c', tool: 'read' }, {}, call)).rejects.toMatchObject({ code: 'TOOL_NOT_FOUND' });
    expect(reached).toEqual(['call b.read']);
  });

  it('refuses to read a resource of a plugin outside the profile', async () => {
    const reached: string[] = [];
    const h = filterByProfile(fakeHost(reached), { plugins: ['a'] });
    await h.readResource('a://42', call);
    await expect(h.readResource('c://doc', call)).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    expect(reached).toEqual(['read a://42']);
  });

  it('lists and renders only the server prompts of the profile\'s plugins', async () => {
    const reached: string[] = [];
    const h = filterByProfile(fakeHost(reached), { plugins: ['a'] });
    expect(h.serverPrompts!().map((p) => p.plugin)).toEqual(['a']);
    await h.getServerPrompt!('a', 'sp', {}, call);
    await expect(h.getServerPrompt!('c', 'sp', {}, call)).rejects.toMatchObject({ code: 'PROMPT_NOT_FOUND' });
    expect(reached).toEqual(['prompt a.sp']);
  });

  it('with tools only, serves the plugins that have a matching tool', () => {
    const h = filterByProfile(fakeHost([]), { tools: ['*.write'] });
    expect(h.tools().map((t) => `${t.plugin}.${t.name}`)).toEqual(['a.write', 'b.write']);
    expect(h.pluginNames()).toEqual(['a', 'b']);
    expect(h.prompts().map((p) => p.plugin)).toEqual(['a']);
  });
});
