import { describe, expect, it } from 'vitest';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validatePlugin } from '../../../../src/core/validate/validate-plugin.js';
import { inspectEntry } from '../../../../src/host/inspect-entry.js';
import { fixturesDir } from '../../../helpers/host-plugins.js';
import { tempDir } from '../../../helpers/pm.js';

describe('plugin-validate loads the entry in the sandbox', () => {
  it('implementation-check-never-skipped-silently: without an injected inspector the check says it did not run', async () => {
    const tmp = await tempDir();
    try {
      const dir = join(tmp.dir, 'uninspected');
      await cp(join(fixturesDir, 'inspect-mismatch'), dir, { recursive: true });
      await writeFile(join(dir, 'plugin.json'), JSON.stringify({
        name: 'uninspected', version: '1.0.0', description: 'x', main: 'index.mjs', license: 'MIT',
        contributes: { tools: [{ name: 'declared-only', description: 'x', inputSchema: { type: 'object' } }] },
      }));
      const r = await validatePlugin(dir);
      expect(r.warnings.map((w) => w.code)).toEqual(['ENTRY_NOT_INSPECTED']);
      expect((await validatePlugin(dir, { strict: true })).ok).toBe(false);
    } finally {
      await tmp.cleanup();
    }
  });

  it('reports declared-but-missing and undeclared tools, resources and hooks as errors', async () => {
    const tmp = await tempDir();
    try {
      const dir = join(tmp.dir, 'mismatch');
      await cp(join(fixturesDir, 'inspect-mismatch'), dir, { recursive: true });
      // Make the manifest valid on its own so only the sandbox check speaks.
      await writeFile(join(dir, 'plugin.json'), JSON.stringify({
        name: 'mismatch', version: '1.0.0', description: 'Declares what it lacks', main: 'index.mjs', license: 'MIT',
        contributes: {
          tools: [{ name: 'declared-only', description: 'x', inputSchema: { type: 'object' } }, { name: 'both', description: 'x', inputSchema: { type: 'object' } }],
          resources: [{ uri: 'm://{id}', name: 'm', mimeType: 'text/plain' }],
          hooks: [{ event: 'tool:after-call' }],
        },
      }));
      const r = await validatePlugin(dir, { inspectEntry });
      expect(r.ok).toBe(false);
      expect(r.errors.map((e) => [e.code, e.where])).toEqual([
        ['TOOL_NOT_IMPLEMENTED', 'contributes.tools[0]'],
        ['RESOURCE_NOT_IMPLEMENTED', 'contributes.resources[0]'],
        ['HOOK_NOT_IMPLEMENTED', 'contributes.hooks[0]'],
        ['TOOL_UNDECLARED', 'contributes.tools'],
        ['HOOK_UNDECLARED', 'contributes.hooks'],
      ]);
      expect(r.errors[3]!.message).toBe('the entry implements tool "secret", which plugin.json does not declare');
    } finally {
      await tmp.cleanup();
    }
  });

  it('reports an entry that cannot load inside the sandbox', async () => {
    const tmp = await tempDir();
    try {
      const dir = join(tmp.dir, 'broken');
      await cp(join(fixturesDir, 'inspect-broken'), dir, { recursive: true });
      await writeFile(join(dir, 'plugin.json'), JSON.stringify({
        name: 'broken', version: '1.0.0', description: 'Reads outside at import', main: 'index.mjs', license: 'MIT',
        contributes: { tools: [{ name: 'x', description: 'x', inputSchema: { type: 'object' } }] },
      }));
      const r = await validatePlugin(dir, { inspectEntry });
      expect(r.errors.map((e) => e.code)).toContain('ENTRY_LOAD_FAILED');
      expect(r.errors.find((e) => e.code === 'ENTRY_LOAD_FAILED')!.message).toMatch(/does not load in the plugin sandbox: .*Access to this API has been restricted/);
    } finally {
      await tmp.cleanup();
    }
  });
});
