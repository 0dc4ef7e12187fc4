import { describe, expect, it } from 'vitest';
import * as pmkit from '../../../src/index.js';
import type { PluginDefinition } from '../../../src/index.js';

describe('the pmkit SDK', () => {
  it('exports definePlugin, which returns the plugin unchanged', () => {
    const plugin: PluginDefinition = { tools: { add: async () => ({ content: [{ type: 'text', text: 'ok' }] }) } };
    expect(pmkit.definePlugin(plugin)).toBe(plugin);
    expect(Object.keys(pmkit)).toEqual(['definePlugin']);
  });
});
