import { describe, expect, it } from 'vitest';
import { resolveAnswers } from '../../../../src/core/scaffold/resolve-answers.js';

describe('resolveAnswers', () => {
  it('fills every answer not given with its default under --yes', () => {
    expect(resolveAnswers({ name: 'notes' }, { yes: true, defaultAuthor: 'Ada <ada@example.org>' })).toEqual({
      name: 'notes',
      description: 'A pm plugin: a tool an AI client can call',
      author: 'Ada <ada@example.org>',
      license: 'MIT',
      type: 'tool',
      lang: 'js',
      tests: true,
      ci: true,
    });
  });

  it('keeps what was given, false answers and an empty author included', () => {
    const a = resolveAnswers({ name: 'n', type: 'hook', lang: 'ts', tests: false, ci: false, author: '', license: 'MIT OR Apache-2.0', description: ' Hides e-mails ' }, { defaultAuthor: 'Ada' });
    expect(a).toEqual({ name: 'n', type: 'hook', lang: 'ts', tests: false, ci: false, author: '', license: 'MIT OR Apache-2.0', description: 'Hides e-mails' });
  });

  it('requires the name, with a usage error saying how to give it', () => {
    expect(() => resolveAnswers({ type: 'tool' }, { yes: true })).toThrow(expect.objectContaining({
      code: 'USAGE', kind: 'usage', message: 'missing the plugin name', data: { missing: 'name' },
    }));
  });

  it('requires --type unless --yes, naming the flag', () => {
    expect(() => resolveAnswers({ name: 'n' })).toThrow(expect.objectContaining({
      kind: 'usage', message: 'missing --type', hint: 'pass --type tool|prompt|hook|resource|full, or --yes to take the default (tool)',
    }));
  });

  it('refuses an invalid name before anything else', () => {
    expect(() => resolveAnswers({ name: 'Bad', type: 'nope' })).toThrow('invalid plugin name "Bad": has an uppercase letter "B"');
  });

  it('refuses an unknown type or language (library callers have no commander to check them)', () => {
    expect(() => resolveAnswers({ name: 'n', type: 'widget' })).toThrow(expect.objectContaining({ kind: 'usage', message: 'unknown plugin type "widget"' }));
    expect(() => resolveAnswers({ name: 'n', type: 'tool', lang: 'py' })).toThrow(expect.objectContaining({ kind: 'usage', message: 'unknown language "py"' }));
  });
});
