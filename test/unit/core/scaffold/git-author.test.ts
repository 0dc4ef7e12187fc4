import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitAuthor } from '../../../../src/core/scaffold/git-author.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-git-author-');
afterAll(() => tmp.cleanup());
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

/** Points git at a global config holding `body` and nothing else. */
async function gitConfig(body: string): Promise<void> {
  const file = join(tmp.dir, `gitconfig-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, body);
  process.env.GIT_CONFIG_GLOBAL = file;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
}

describe('gitAuthor', () => {
  it('joins user.name and user.email from git config', async () => {
    await gitConfig('[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
    expect(await gitAuthor(tmp.dir)).toBe('Ada Lovelace <ada@example.org>');
  });

  it('uses the name alone when there is no e-mail', async () => {
    await gitConfig('[user]\n\tname = Ada Lovelace\n');
    expect(await gitAuthor(tmp.dir)).toBe('Ada Lovelace');
  });

  it('is empty when git has no user configured', async () => {
    await gitConfig('');
    expect(await gitAuthor(tmp.dir)).toBe('');
  });

  it('is empty when git is not installed', async () => {
    process.env.PATH = tmp.dir;
    expect(await gitAuthor(tmp.dir)).toBe('');
  });
});
