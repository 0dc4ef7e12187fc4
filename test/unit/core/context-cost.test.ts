import { describe, expect, it } from 'vitest';
import { contextCost, estimateTokens, formatCost, wireToolJson } from '../../../src/core/context-cost.js';

describe('context cost', () => {
  it('estimates ceil(characters / 4)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('costs the tools/list entry a client receives: wire name, description, schemas', () => {
    const tool = { name: 'add', description: 'Add a note', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } };
    const json = wireToolJson('notes', tool);
    expect(JSON.parse(json)).toEqual({ name: 'notes__add', description: 'Add a note', inputSchema: tool.inputSchema });
    expect(JSON.parse(wireToolJson('notes', { name: 'x' }))).toEqual({ name: 'notes__x', inputSchema: { type: 'object' } });
    const c = contextCost([{ plugin: 'notes', tools: [tool, tool] }, { plugin: 'empty', tools: [] }]);
    expect(c.plugins).toEqual([{ plugin: 'notes', tools: 2, tokens: 2 * Math.ceil(json.length / 4) }, { plugin: 'empty', tools: 0, tokens: 0 }]);
    expect(c.total).toEqual({ tools: 2, tokens: 2 * Math.ceil(json.length / 4) });
  });

  it('grows by a quarter token per character of description', () => {
    const short = contextCost([{ plugin: 'p', tools: [{ name: 't', description: 'x' }] }]).total.tokens;
    const long = contextCost([{ plugin: 'p', tools: [{ name: 't', description: 'x'.repeat(400) }] }]).total.tokens;
    // 399 more characters: 99 or 100 more tokens, depending on rounding.
    expect([99, 100]).toContain(long - short);
  });

  it('formats for people', () => {
    expect(formatCost({ tools: 1, tokens: 1234 })).toBe('1 tool, ~1,234 tokens');
    expect(formatCost({ tools: 0, tokens: 0 })).toBe('0 tools, ~0 tokens');
  });
});
