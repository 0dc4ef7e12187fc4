import { describe, expect, it } from 'vitest';
import { PLUGIN_NAME_PATTERN, pluginNameProblem } from '../../../../src/core/scaffold/plugin-spec.js';

describe('pluginNameProblem', () => {
  it.each(['a', 'notes', 'my-notes-2', 'a'.repeat(50)])('accepts %j', (name) => {
    expect(pluginNameProblem(name)).toBeUndefined();
    expect(PLUGIN_NAME_PATTERN.test(name)).toBe(true);
  });

  it.each([
    ['', 'a plugin name is required'],
    ['a'.repeat(51), 'is 51 characters long; the limit is 50'],
    ['myNotes', 'has an uppercase letter "N"; use lowercase letters, digits and -'],
    ['1notes', 'must start with a lowercase letter (a-z)'],
    ['-notes', 'must start with a lowercase letter (a-z)'],
    ['my_notes', 'has "_", which is not allowed; use lowercase letters, digits and -'],
    ['my.notes', 'has ".", which is not allowed; use lowercase letters, digits and -'],
    ['notes/x', 'has "/", which is not allowed; use lowercase letters, digits and -'],
    ['café', 'has "é", which is not allowed; use lowercase letters, digits and -'],
  ])('refuses %j: %s', (name, message) => {
    expect(pluginNameProblem(name)).toBe(message);
    expect(PLUGIN_NAME_PATTERN.test(name)).toBe(false);
  });
});
