import { describe, expect, it } from 'vitest';
import type { HostPlugin } from '../../../src/host/manifest-types.js';
import { changedPlugins } from '../../../src/host/reload-plan.js';

const plugin = (name: string, extra: Partial<HostPlugin> = {}): HostPlugin => ({
  name, kind: 'module', dir: `/p/${name}`, dataDir: `/d/${name}`, manifest: { name, version: '1.0.0', description: 'x' }, ...extra,
});

describe('changedPlugins', () => {
  it('lists new plugins and those whose folder, manifest, config, secrets or restart request changed, and nothing else', () => {
    const current = new Map([['same', plugin('same')], ['cfg', plugin('cfg')], ['sec', plugin('sec')], ['restart', plugin('restart')]]);
    const next = [plugin('same'), plugin('cfg', { config: { a: 1 } }), plugin('sec', { secrets: { T: 'v' } }), plugin('restart', { restartRequestedAt: 'now' }), plugin('new')];
    const { changed, unapplicable } = changedPlugins(next, (n) => current.get(n));
    expect(changed.map((p) => p.name)).toEqual(['cfg', 'sec', 'restart', 'new']);
    expect(unapplicable).toEqual([]);
  });

  it('re-registers a server plugin whose full-trust grant was recorded or revoked, so a running pm serve uses it', () => {
    const current = new Map([['granted', plugin('granted')], ['revoked', plugin('revoked', { fullTrust: { since: 't' } })]]);
    const next = [plugin('granted', { fullTrust: { since: 't' } }), plugin('revoked')];
    expect(changedPlugins(next, (n) => current.get(n)).changed.map((p) => p.name)).toEqual(['granted', 'revoked']);
  });

  it('reports a plugin whose state cannot even be compared as unapplicable instead of throwing, so the reload can stop it', () => {
    const bad = plugin('bad', { manifest: { name: 'bad', version: '1.0.0', description: 'x', toJSON() { throw new Error('cannot apply'); } } as never });
    const { changed, unapplicable } = changedPlugins([bad, plugin('ok')], (n) => (n === 'bad' ? plugin('bad') : undefined));
    expect(changed.map((p) => p.name)).toEqual(['ok']);
    expect(unapplicable).toEqual([{ name: 'bad', err: new Error('cannot apply') }]);
  });
});
