import { describe, expect, it } from 'vitest';
import { planImport, pluginNameFor } from '../../../../src/core/client-config/import-plan.js';

describe('pluginNameFor', () => {
  it('lower-cases and turns other characters into dashes', () => {
    expect(pluginNameFor('Weather_Server')).toBe('weather-server');
    expect(pluginNameFor('Remote Docs!')).toBe('remote-docs');
  });

  it('puts mcp- in front of a name that does not start with a letter', () => {
    expect(pluginNameFor('1password')).toBe('mcp-1password');
  });
});

describe('planImport', () => {
  it('splits env into literal values and secret-like ones (TOKEN, KEY, SECRET, PASSWORD)', () => {
    const { plans } = planImport({ gh: { command: 'docker', args: ['run', '-i'], env: { GH_TOKEN: 'ghp_1234', API_KEY: 'k_5678', DB_PASSWORD: 'hunter22', CLIENT_SECRET: 's3cr3t', MODE: 'fast', REF_TOKEN: '${secret.X}' } } });
    expect(plans[0]).toMatchObject({
      plugin: 'gh', argv: ['docker', 'run', '-i'],
      env: { MODE: 'fast', REF_TOKEN: '${secret.X}' },
      secretEnv: { GH_TOKEN: 'ghp_1234', API_KEY: 'k_5678', DB_PASSWORD: 'hunter22', CLIENT_SECRET: 's3cr3t' },
    });
  });

  it('skips pm itself, remote servers (url, serverUrl, type http/sse) and entries without a command', () => {
    const { plans, skipped } = planImport({
      pm: { command: '/usr/bin/node', args: ['/x/bin/pm.js', 'serve', '--mcp'] },
      a: { url: 'https://a.example/mcp' },
      b: { serverUrl: 'https://b.example/sse' },
      c: { type: 'sse', command: 'x' },
      d: { args: ['x'] },
    });
    expect(plans).toEqual([]);
    expect(skipped.map((s) => [s.server, s.reason.split(' ')[0]])).toEqual([['pm', 'pm'], ['a', 'a'], ['b', 'a'], ['c', 'a'], ['d', 'has']]);
  });

  it('skips a second server that would get the same plugin name', () => {
    const { plans, skipped } = planImport({ My_Server: { command: 'a' }, 'my server': { command: 'b' } });
    expect(plans.map((p) => p.plugin)).toEqual(['my-server']);
    expect(skipped[0]!.reason).toContain('taken by another server');
  });

  it('notes the keys it does not carry over', () => {
    const { plans } = planImport({ s: { command: 'x', cwd: '/w', disabled: false } });
    expect(plans[0]!.notes).toEqual(['"cwd" is not carried over', '"disabled" is not carried over']);
  });
});

describe('planImport and client-only variables', () => {
  it('skips a server whose env uses ${input:…} or ${env:…}, which only VS Code fills in, saying how to add it', () => {
    const { plans, skipped } = planImport({ perplexity: { command: 'npx', env: { PERPLEXITY_API_KEY: '${input:perplexity-key}' } } });
    expect(plans).toEqual([]);
    expect(skipped[0]!.reason).toContain("pm mcp-add perplexity --env 'PERPLEXITY_API_KEY=${secret.NAME}'");
  });
});
