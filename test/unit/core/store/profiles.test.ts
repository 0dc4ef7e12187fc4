import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkProfileSpec, getProfile, listProfiles, profileMatcher, removeProfile, setProfile } from '../../../../src/core/store/profiles.js';
import { tempDir } from '../../../helpers/pm.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let home: string;
beforeEach(async () => {
  tmp = await tempDir('pm-profiles-');
  home = join(tmp.dir, 'home');
  await mkdir(home);
});
afterEach(() => tmp.cleanup());

describe('profiles.json', () => {
  it('saves, lists, shows, replaces and removes a profile', async () => {
    const p = await setProfile('coding', { plugins: ['notes', 'git', 'notes'], tools: ['notes.*', 'git.status'] }, { home });
    expect(p).toMatchObject({ name: 'coding', plugins: ['notes', 'git'], tools: ['notes.*', 'git.status'], replaced: false });
    expect((await listProfiles({ home })).map((x) => x.name)).toEqual(['coding']);
    const again = await setProfile('coding', { plugins: ['notes'] }, { home });
    expect(again.replaced).toBe(true);
    expect(again.createdAt).toBe(p.createdAt);
    expect(await getProfile('coding', { home })).toMatchObject({ plugins: ['notes'] });
    expect((await getProfile('coding', { home })).tools).toBeUndefined();
    await removeProfile('coding', { home });
    expect(await listProfiles({ home })).toEqual([]);
    expect(await readFile(join(home, 'logs', 'audit.log'), 'utf8')).toMatch(/profile-set[\s\S]*profile-remove/);
  });

  it('refuses an unknown profile with the known ones in the hint', async () => {
    await setProfile('a', { plugins: ['x'] }, { home });
    await expect(getProfile('nope', { home })).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND', hint: expect.stringContaining('known profiles: a') });
    await expect(removeProfile('nope', { home })).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND' });
  });

  it('refuses bad names and lists before writing anything', async () => {
    await expect(setProfile('Bad Name', { plugins: ['a'] }, { home })).rejects.toMatchObject({ code: 'PROFILE_NAME_INVALID' });
    await expect(setProfile('x', {}, { home })).rejects.toMatchObject({ code: 'PROFILE_INVALID' });
    await expect(setProfile('x', { plugins: [' ', ''] }, { home })).rejects.toMatchObject({ code: 'PROFILE_INVALID' });
    await expect(setProfile('x', { plugins: ['Not_A_Plugin'] }, { home })).rejects.toMatchObject({ code: 'PROFILE_INVALID' });
    await expect(setProfile('x', { tools: ['notes'] }, { home })).rejects.toMatchObject({ code: 'PROFILE_INVALID', hint: expect.stringContaining("'notes.*'") });
    expect(await readdir(home)).toEqual([]);
  });

  it('refuses a corrupt profiles.json', async () => {
    await writeFile(join(home, 'profiles.json'), '{"profiles": {"a": {"plugins": "notes"}}}');
    await expect(listProfiles({ home })).rejects.toMatchObject({ code: 'PROFILES_FILE_CORRUPT' });
  });
});

describe('profileMatcher', () => {
  it('serves a listed plugin\'s tools that match a glob (both lists narrow)', () => {
    const m = profileMatcher({ plugins: ['a', 'b'], tools: ['a.*', 'b.read'] });
    expect(m.tool('a', 'anything')).toBe(true);
    expect(m.tool('b', 'read')).toBe(true);
    expect(m.tool('b', 'write')).toBe(false);
    expect(m.tool('c', 'read')).toBe(false);
    expect(m.plugin('b', ['write'])).toBe(true);
    expect(m.plugin('c', ['read'])).toBe(false);
  });

  it('with plugins only serves all their tools; with tools only, the plugins that have a match', () => {
    expect(profileMatcher({ plugins: ['a'] }).tool('a', 'x')).toBe(true);
    const t = profileMatcher({ tools: ['*.read'] });
    expect(t.tool('z', 'read')).toBe(true);
    expect(t.plugin('z', ['read', 'write'])).toBe(true);
    expect(t.plugin('y', ['write'])).toBe(false);
  });

  it('checkProfileSpec trims and drops empty entries', () => {
    expect(checkProfileSpec({ plugins: [' a ', ''], tools: undefined })).toEqual({ plugins: ['a'] });
  });
});
