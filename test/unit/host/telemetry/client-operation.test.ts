import { describe, expect, it } from 'vitest';
import { clientOperation } from '../../../../src/host/telemetry/client-operation.js';
import { clientOperationDuration } from '../../../../src/host/telemetry/pm-metrics.js';

const count = (attrs: Record<string, string>) =>
  [...clientOperationDuration.series.values()].filter((s) => Object.entries(attrs).every(([k, v]) => s.attributes[k] === v) && Object.keys(s.attributes).length === Object.keys(attrs).length).reduce((n, s) => n + s.count, 0);

describe('clientOperation', () => {
  it('untraced adds no _meta and records mcp.client.operation.duration by method, tool and plugin', async () => {
    const r = await clientOperation(undefined, 'tools/call', 't1', 'srv-a', async (meta) => ({ meta }));
    expect(r).toEqual({ meta: {} });
    expect(count({ 'mcp.method.name': 'tools/call', 'pm.plugin.name': 'srv-a', 'gen_ai.tool.name': 't1' })).toBe(1);
  });

  it('records error.type: the code of a failure (rethrown as it is), tool_error for an isError result', async () => {
    const boom = Object.assign(new Error('gone'), { code: 'PLUGIN_CRASHED' });
    await expect(clientOperation({}, 'tools/call', 't2', 'srv-b', async () => { throw boom; })).rejects.toBe(boom);
    await clientOperation({}, 'tools/call', 't2', 'srv-b', async () => ({ isError: true }));
    expect(count({ 'mcp.method.name': 'tools/call', 'pm.plugin.name': 'srv-b', 'gen_ai.tool.name': 't2', 'error.type': 'PLUGIN_CRASHED' })).toBe(1);
    expect(count({ 'mcp.method.name': 'tools/call', 'pm.plugin.name': 'srv-b', 'gen_ai.tool.name': 't2', 'error.type': 'tool_error' })).toBe(1);
  });
});
