import { describe, expect, it } from 'vitest';
import { validatePlugin } from '../../../../src/core/validate/validate-plugin.js';
import type { EntryInspection, ReportedTool } from '../../../../src/core/validate/types.js';
import { pythonNotesDir } from '../../../helpers/server-fixtures.js';

const empty = { tools: [], resources: [], hooks: [] };
/** An inspector answering as a server that reports `tools` (the real one is host/inspect-entry's, tested end to end). */
const reporting = (tools: ReportedTool[]) => async (): Promise<EntryInspection> => ({ loaded: true, missing: empty, undeclared: empty, tools });
const add = { name: 'add', description: 'Add two numbers', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] } };
const echo = { name: 'echo_env', description: 'Return the value of an environment variable of the server', inputSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } };

describe('checkServerTools: the declared tools are the pin, checked against the server', () => {
  it('passes when the server reports exactly the declared tools (key order aside)', async () => {
    const reordered = { ...add, inputSchema: { required: ['a', 'b'], type: 'object', properties: add.inputSchema.properties } };
    const r = await validatePlugin(pythonNotesDir, { inspectEntry: reporting([echo, reordered]) });
    expect([...r.errors, ...r.warnings]).toEqual([]);
  });

  it('reports a declared tool the server lacks, one it adds and one whose schema or description changed', async () => {
    const r = await validatePlugin(pythonNotesDir, {
      inspectEntry: reporting([{ ...add, description: 'Adds' }, { name: 'extra', inputSchema: { type: 'object' } }]),
    });
    expect(r.errors.map((e) => `${e.code} ${e.where}`)).toEqual([
      'SERVER_TOOL_DIFFERS contributes.tools[0]', 'SERVER_TOOL_MISSING contributes.tools[1]', 'SERVER_TOOL_UNDECLARED contributes.tools',
    ]);
    expect(r.errors[0]!.message).toBe('tool "add": the description declared differs from what the server reports');
  });

  it('reports a server that does not start', async () => {
    const r = await validatePlugin(pythonNotesDir, { inspectEntry: async () => ({ loaded: false, error: 'exited with code 1', missing: empty, undeclared: empty }) });
    expect(r.errors.map((e) => e.code)).toEqual(['SERVER_START_FAILED']);
    expect(r.errors[0]!.message).toContain('exited with code 1');
  });
});
