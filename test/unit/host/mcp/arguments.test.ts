import { describe, expect, it } from 'vitest';
import { ArgumentValidator, problemsText } from '../../../../src/host/mcp/arguments.js';

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: { text: { type: 'string', minLength: 1 }, n: { type: 'integer' }, items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } } },
  required: ['text'],
  additionalProperties: false,
};

describe('ArgumentValidator', () => {
  const v = new ArgumentValidator();

  it('accepts valid arguments, even when the schema names draft-07', async () => {
    expect(await v.check('t.a', schema, { text: 'x', n: 2 })).toEqual([]);
  });

  it('names every bad field: missing, wrong type, unexpected, nested, format', async () => {
    const problems = await v.check('t.a', schema, { n: 1.5, extra: 1, items: [{ id: 'not-a-uuid' }] });
    expect(problems).toEqual(expect.arrayContaining([
      { field: 'text', message: 'is required' },
      { field: 'n', message: 'must be integer' },
      { field: 'extra', message: 'is not an accepted argument' },
      { field: 'items/0/id', message: 'must match format "uuid"' },
    ]));
    expect(problems).toHaveLength(4);
  });

  it('checks synchronously once a tool\'s validator is compiled, and says so (undefined) before', async () => {
    const fresh = new ArgumentValidator();
    expect(fresh.checkNow('t.sync', schema, { text: 'x' })).toBeUndefined();
    expect(await fresh.check('t.sync', schema, { text: 'x' })).toEqual([]);
    expect(fresh.checkNow('t.sync', schema, { text: 'x' })).toEqual([]);
    expect(fresh.checkNow('t.sync', schema, { text: '' })).toEqual([{ field: 'text', message: 'must NOT have fewer than 1 characters' }]);
    expect(fresh.checkNow('t.sync', schema, 'nope')).toEqual([{ field: '(arguments)', message: 'must be an object' }]);
    fresh.clear();
    expect(fresh.checkNow('t.sync', schema, { text: 'x' })).toBeUndefined();
  });

  it('refuses arguments that are not an object', async () => {
    expect(await v.check('t.a', schema, [1])).toEqual([{ field: '(arguments)', message: 'must be an object' }]);
  });

  it('takes any object when the tool has no schema', async () => {
    expect(await v.check('t.b', undefined, { anything: true })).toEqual([]);
  });

  it('reports a schema that does not compile instead of throwing', async () => {
    const p = await v.check('t.c', { type: 'object', properties: { a: { $ref: '#/nowhere' } } }, { a: 1 });
    expect(p[0].field).toBe('(schema)');
    expect(p[0].message).toMatch(/^the tool's inputSchema does not compile: /);
  });

  it('formats the problems in one line for the model', () => {
    expect(problemsText('t__a', [{ field: 'text', message: 'is required' }, { field: 'n', message: 'must be integer' }])).toBe("invalid arguments for t__a: 'text' is required; 'n' must be integer");
  });
});
