import { execa } from 'execa';
import { chmod, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSecrets, normalizeSecretValue, removeSecret, secretValues, setSecret } from '../../../../src/core/store/secrets.js';
import { tempDir } from '../../../helpers/pm.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let home: string;
beforeEach(async () => {
  tmp = await tempDir('pm-secrets-');
  home = join(tmp.dir, 'home');
  await mkdir(home);
});
afterEach(() => tmp.cleanup());

const file = () => join(home, 'secrets.json');

describe('secrets.json', () => {
  it('is written with mode 0600 and holds the value; list shows names and dates only', async () => {
    const r = await setSecret('API_TOKEN', 'tok-123\n', { home });
    expect(r).toMatchObject({ name: 'API_TOKEN', replaced: false });
    expect(JSON.stringify(r)).not.toContain('tok-123');
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect((await secretValues(home, ['API_TOKEN'])).values).toEqual({ API_TOKEN: 'tok-123' });
    const list = await listSecrets({ home });
    expect(list.map((s) => s.name)).toEqual(['API_TOKEN']);
    expect(JSON.stringify(list)).not.toContain('tok-123');
  });

  it('replaces a value keeping its creation date, and removes it', async () => {
    const first = await setSecret('A', 'one1', { home });
    const second = await setSecret('A', 'two2', { home });
    expect(second.replaced).toBe(true);
    expect(second.createdAt).toBe(first.createdAt);
    expect(await secretValues(home, ['A', 'B'])).toEqual({ values: { A: 'two2' }, missing: ['B'] });
    await removeSecret('A', { home });
    expect(await listSecrets({ home })).toEqual([]);
  });

  it('audits set and remove by name, never by value', async () => {
    await setSecret('A', 'hunter2-value', { home });
    await removeSecret('A', { home });
    const audit = await readFile(join(home, 'logs', 'audit.log'), 'utf8');
    expect(audit).toContain('"secret-set"');
    expect(audit).toContain('"secret-remove"');
    expect(audit).not.toContain('hunter2-value');
  });

  it('keeps names like __proto__ as plain entries', async () => {
    await setSecret('__proto__', 'x-value', { home });
    expect((await secretValues(home, ['__proto__'])).values.__proto__).toBe('x-value');
    expect((await listSecrets({ home })).map((s) => s.name)).toEqual(['__proto__']);
  });
});

describe('refusals', () => {
  it('refuses a bad name, an empty, short, NUL-holding or oversized value, writing nothing', async () => {
    await expect(setSecret('1BAD', 'v', { home })).rejects.toMatchObject({ code: 'SECRET_NAME_INVALID' });
    await expect(setSecret('bad-name', 'v', { home })).rejects.toMatchObject({ code: 'SECRET_NAME_INVALID' });
    await expect(setSecret('A', '', { home })).rejects.toMatchObject({ code: 'SECRET_VALUE_EMPTY' });
    await expect(setSecret('A', '\n', { home })).rejects.toMatchObject({ code: 'SECRET_VALUE_EMPTY' });
    await expect(setSecret('A', 'abc\0def', { home })).rejects.toMatchObject({ code: 'SECRET_VALUE_INVALID', message: expect.stringContaining('NUL') });
    // Shorter values could not be masked in logs.
    await expect(setSecret('A', 'abc', { home })).rejects.toMatchObject({ code: 'SECRET_VALUE_INVALID', message: expect.stringContaining('shorter than 4') });
    await expect(setSecret('A', 'x'.repeat(40_000), { home })).rejects.toMatchObject({ code: 'SECRET_VALUE_INVALID' });
    expect(await readdir(home)).toEqual([]);
  });

  it('drops one trailing newline only, keeping a multi-line value', () => {
    expect(normalizeSecretValue('K', 'line1\nline2\n')).toBe('line1\nline2');
    expect(normalizeSecretValue('K', 'value\r\n')).toBe('value');
  });

  it('removing an unknown secret is SECRET_NOT_FOUND', async () => {
    await expect(removeSecret('NOPE', { home })).rejects.toMatchObject({ code: 'SECRET_NOT_FOUND' });
  });

  it('refuses a secrets.json others can read, and does not rewrite it', async () => {
    await setSecret('A', 'value-1', { home });
    await chmod(file(), 0o644);
    await expect(listSecrets({ home })).rejects.toMatchObject({ code: 'SECRETS_FILE_UNSAFE', message: expect.stringContaining('0644') });
    await expect(setSecret('B', 'value-2', { home })).rejects.toMatchObject({ code: 'SECRETS_FILE_UNSAFE' });
    expect(await readFile(file(), 'utf8')).not.toContain('value-2');
  });

  it('refuses a symbolic link and a FIFO as secrets.json without hanging', async () => {
    await writeFile(join(tmp.dir, 'elsewhere.json'), '{"version":1,"secrets":{}}', { mode: 0o600 });
    await symlink(join(tmp.dir, 'elsewhere.json'), file());
    await expect(listSecrets({ home })).rejects.toMatchObject({ code: 'SECRETS_FILE_UNSAFE', message: expect.stringContaining('symbolic link') });
    await rm(file());
    await execa('mkfifo', ['-m', '600', file()]);
    await expect(listSecrets({ home })).rejects.toMatchObject({ code: 'SECRETS_FILE_UNSAFE', message: expect.stringContaining('not a regular file') });
  });

  it('refuses a corrupt file without quoting it (it may hold values)', async () => {
    await writeFile(file(), '{"secrets": {"A": {"value": "leak-me"}, "B": 3}}', { mode: 0o600 });
    const err = await listSecrets({ home }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'SECRETS_FILE_CORRUPT' });
    expect((err as Error).message).not.toContain('leak-me');
  });
});
