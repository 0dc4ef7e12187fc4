import { describe, expect, it } from 'vitest';
import { formatToolRef, parseToolRef } from '../../../src/core/tool-ref.js';

describe('ToolRef', () => {
  it('formats as <plugin>.<tool>', () => {
    expect(formatToolRef({ plugin: 'notes', tool: 'add' })).toBe('notes.add');
  });

  it('parses <plugin>.<tool> into its two parts', () => {
    expect(parseToolRef('notes.add')).toEqual({ plugin: 'notes', tool: 'add' });
  });

  it('splits at the first dot: a tool name keeps its own dots (plugin names have none)', () => {
    expect(parseToolRef('github.repos.list')).toEqual({ plugin: 'github', tool: 'repos.list' });
    expect(parseToolRef('srv.a..b')).toEqual({ plugin: 'srv', tool: 'a..b' });
  });

  it('round-trips any plugin name without dots and any non-empty tool name', () => {
    for (const ref of [{ plugin: 'a', tool: 'b' }, { plugin: 'my-plugin', tool: 'v1.get_item' }, { plugin: 'x', tool: '.hidden' }]) {
      expect(parseToolRef(formatToolRef(ref))).toEqual(ref);
    }
  });

  it('refuses names without a plugin or a tool part', () => {
    for (const bad of ['notes', '', '.add', 'notes.', '.']) expect(parseToolRef(bad)).toBeUndefined();
  });
});
