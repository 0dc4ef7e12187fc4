import { describe, expect, it } from 'vitest';
import { inspectEntry } from '../../../src/host/inspect-entry.js';
import { fixturePlugin } from '../../helpers/host-plugins.js';

describe('inspectEntry', () => {
  it('finds nothing missing or undeclared in a consistent plugin', async () => {
    const p = fixturePlugin('host-notes', '/unused');
    expect(await inspectEntry(p.dir, p.manifest)).toEqual({
      loaded: true, missing: { tools: [], resources: [], hooks: [] }, undeclared: { tools: [], resources: [], hooks: [] },
    });
  });

  it('reports declared-but-missing and implemented-but-undeclared tools, resources and hooks without running activate', async () => {
    const p = fixturePlugin('inspect-mismatch', '/unused');
    expect(await inspectEntry(p.dir, p.manifest)).toEqual({
      loaded: true,
      missing: { tools: ['declared-only'], resources: ['m://{id}'], hooks: ['tool:after-call'] },
      undeclared: { tools: ['secret'], resources: [], hooks: ['server:started'] },
    });
  });

  it('loads the entry in the sandbox: a top-level read outside the folder fails the load', async () => {
    const p = fixturePlugin('inspect-broken', '/unused');
    const r = await inspectEntry(p.dir, p.manifest);
    expect(r.loaded).toBe(false);
    expect(r.error).toMatch(/cannot load index\.mjs: Access to this API has been restricted/);
  });

  it('reports an entry that does not exist', async () => {
    const p = fixturePlugin('host-notes', '/unused');
    const r = await inspectEntry(p.dir, { ...p.manifest, main: 'nope.mjs' });
    expect(r).toMatchObject({ loaded: false, error: expect.stringContaining('cannot load nope.mjs') });
  });
});
