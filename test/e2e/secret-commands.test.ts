import { execa } from 'execa';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pm, pmBin, tempDir } from '../helpers/pm.js';
import { runPmOnPty } from '../helpers/pty.js';

const VALUE = 'sk-test-9f8e7d6c5b4a';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let home: string;
beforeEach(async () => {
  tmp = await tempDir('pm-secret-e2e-');
  home = join(tmp.dir, 'home');
});
afterEach(() => tmp.cleanup());

/** Every file under PM_HOME but secrets.json, as one text. */
async function everythingButSecrets(dir: string): Promise<string> {
  let text = '';
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || (e.name === 'secrets.json' && e.parentPath === dir)) continue;
    text += await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return text;
}

describe('pm secret-set', () => {
  it('stores a piped value in a 0600 secrets.json, even under umask 000, and never prints it', async () => {
    const r = await execa('bash', ['-c', `umask 000; printf '%s\\n' "$V" | "$NODE" "$PM" secret-set API_TOKEN --home "$H"`], {
      env: { V: VALUE, NODE: process.execPath, PM: pmBin, H: home, NO_COLOR: '1' }, reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('stored secret API_TOKEN');
    expect((await stat(join(home, 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(home, 'secrets.json'), 'utf8')).secrets.API_TOKEN.value).toBe(VALUE);

    const list = await pm(['secret-list', '--json', '--home', home]);
    const again = await pm(['secret-set', 'API_TOKEN', '--json', '--home', home], { input: VALUE });
    expect(JSON.parse(again.stdout)).toMatchObject({ name: 'API_TOKEN', replaced: true });
    const info = await pm(['secret-list', '--home', home]);
    expect(info.stdout).toMatch(/^API_TOKEN\s+set \d{4}-/);
    for (const out of [list, again, info]) expect(out.stdout + out.stderr).not.toContain(VALUE);
    expect(JSON.parse(list.stdout)).toEqual({ secrets: [{ name: 'API_TOKEN', createdAt: expect.any(String), updatedAt: expect.any(String) }] });
    expect(await everythingButSecrets(home)).not.toContain(VALUE);
    expect(await readFile(join(home, 'logs', 'audit.log'), 'utf8')).toContain('"secret":"API_TOKEN"');
  });

  it('asks for the value without echoing it on a terminal', async () => {
    const s = runPmOnPty(['secret-set', 'TYPED', '--home', home], { cwd: tmp.dir });
    try {
      await s.expect('value of TYPED (not shown):');
      s.type(`${VALUE}\r`);
      await s.expect('stored secret TYPED');
      expect(await s.exited).toBe(0);
      expect(s.screen).not.toContain(VALUE);
    } finally {
      s.kill();
    }
    expect(JSON.parse(await readFile(join(home, 'secrets.json'), 'utf8')).secrets.TYPED.value).toBe(VALUE);
  });
});

describe('pm secret-set refusals', () => {
  it('refuses without a terminal and without stdin (exit 2), writing nothing', async () => {
    const r = await execa(process.execPath, [pmBin, 'secret-set', 'API_TOKEN', '--home', home], { stdin: 'ignore', reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: no value given for the secret API_TOKEN');
    expect(r.stderr).toContain("hint: pipe it in (printf '%s' \"$VALUE\" | pm secret-set API_TOKEN)");
    expect(await readdir(home).catch(() => [])).not.toContain('secrets.json');
  });

  it('refuses an empty piped value and a bad name (exit 2), writing nothing', async () => {
    const empty = await pm(['secret-set', 'API_TOKEN', '--home', home], { input: '\n' });
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('no value given for the secret API_TOKEN');
    const bad = await pm(['secret-set', 'api-token', '--home', home], { input: VALUE });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("error: 'api-token' is not a secret name");
    expect(bad.stderr + bad.stdout).not.toContain(VALUE);
    expect(await readdir(home).catch(() => [])).not.toContain('secrets.json');
  });

  it('secret-remove removes one, and refuses an unknown one with exit 1', async () => {
    await pm(['secret-set', 'GONE', '--home', home], { input: VALUE });
    const ok = await pm(['secret-remove', 'GONE', '--home', home]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('removed secret GONE');
    const again = await pm(['secret-remove', 'GONE', '--home', home]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('error: no secret named GONE');
    expect((await pm(['secret-list', '--home', home])).stdout).toContain("no secrets yet");
  });

  it('refuses a secrets.json others can read (exit 1), naming the fix', async () => {
    await pm(['secret-set', 'A', '--home', home], { input: VALUE });
    await execa('chmod', ['644', join(home, 'secrets.json')]);
    const r = await pm(['secret-list', '--home', home]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('its mode 0644 lets other users read or change it');
    expect(r.stderr).toContain(`hint: run chmod 600 ${join(home, 'secrets.json')}`);
    expect(r.stderr + r.stdout).not.toContain(VALUE);
  });
});
