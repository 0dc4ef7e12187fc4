import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { showProfile } from '../../../../src/core/store/profile-view.js';
import { setProfile } from '../../../../src/core/store/profiles.js';
import { installPlugin } from '../../../../src/core/store/install.js';
import { setEnabled } from '../../../../src/core/store/enable.js';
import { estimateTokens, wireToolJson } from '../../../../src/core/context-cost.js';
import { storePlugin } from '../../../helpers/store.js';
import { tempDir } from '../../../helpers/pm.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let home: string;
const tool = (name: string) => ({ name, description: `the ${name} tool`, inputSchema: { type: 'object' } });

beforeEach(async () => {
  tmp = await tempDir('pm-profile-view-');
  home = join(tmp.dir, 'home');
  for (const [name, tools] of [['alpha', ['read', 'write']], ['beta', ['read']], ['gamma', ['read']]] as const) {
    await installPlugin(await storePlugin(join(tmp.dir, name), name, '1.0.0', { contributes: { tools: tools.map(tool) } }), { home });
  }
});
afterEach(() => tmp.cleanup());

describe('showProfile', () => {
  it('lists what the profile serves with the estimated cost per plugin and in total', async () => {
    await setProfile('p', { plugins: ['alpha', 'beta'], tools: ['alpha.*', 'beta.read', 'nomatch.*'] }, { home });
    const v = await showProfile('p', { home });
    expect(v.served).toEqual([{ plugin: 'alpha', tools: ['alpha.read', 'alpha.write'] }, { plugin: 'beta', tools: ['beta.read'] }]);
    const cost = (p: string, t: string) => estimateTokens(wireToolJson(p, tool(t)));
    expect(v.cost.plugins).toEqual([
      { plugin: 'alpha', tools: 2, tokens: cost('alpha', 'read') + cost('alpha', 'write') },
      { plugin: 'beta', tools: 1, tokens: cost('beta', 'read') },
    ]);
    expect(v.cost.total.tokens).toBe(v.cost.plugins[0]!.tokens + v.cost.plugins[1]!.tokens);
    expect(v.notFound).toEqual({ plugins: [], tools: ['nomatch.*'] });
  });

  it('says which named plugins are not installed or disabled', async () => {
    await setEnabled('gamma', false, { home });
    await setProfile('p', { plugins: ['gamma', 'ghost'] }, { home });
    const v = await showProfile('p', { home });
    expect(v.served).toEqual([]);
    expect(v.notFound.plugins).toEqual([{ plugin: 'gamma', reason: 'disabled' }, { plugin: 'ghost', reason: 'not installed' }]);
  });

  it('refuses an unknown profile', async () => {
    await expect(showProfile('nope', { home })).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });
});
