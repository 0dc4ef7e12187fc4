import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './pm.js';

/** Copies test/fixtures/<name> to `dest` (with the executable bit a checkout may not keep) and returns `dest`. */
export async function copyFixture(name: string, dest: string): Promise<string> {
  await cp(join(repoRoot, 'test', 'fixtures', name), dest, { recursive: true });
  return dest;
}

/**
 * The sign-plugin fixture plus what a real author folder also holds: an executable, a production
 * dependency, and files that must never be packed (tests, .env, keys, .git, caches).
 */
export async function authorFolder(dest: string): Promise<string> {
  await copyFixture('sign-plugin', dest);
  const files: Record<string, string> = {
    'bin/run.js': '#!/usr/bin/env node\nconsole.log(1);\n',
    'node_modules/left-pad/index.js': 'export default (s) => s;\n',
    'node_modules/left-pad/package.json': '{ "name": "left-pad", "version": "1.0.0" }\n',
    'node_modules/.cache/x.json': '{}\n',
    'test/add.test.js': 'throw new Error("tests are not packed");\n',
    '.env': 'TOKEN=secret\n',
    '.env.local': 'TOKEN=secret\n',
    'signing.key': 'secret key material\n',
    'id_ed25519': 'ssh key\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'notes.tmp': 'scratch\n',
    '.pmignore': '*.tmp\n!.env\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(dest, rel, '..'), { recursive: true });
    await writeFile(join(dest, rel), text);
  }
  await chmod(join(dest, 'bin/run.js'), 0o775);
  await chmod(join(dest, 'index.js'), 0o600);
  return dest;
}

/** The paths (under package/) a pack of authorFolder() must contain, in archive order. */
export const AUTHOR_FOLDER_ENTRIES = [
  'package/plugin.json',
  'package/README.md',
  'package/bin/',
  'package/bin/run.js',
  'package/index.js',
  'package/lib/',
  'package/lib/add.js',
  'package/node_modules/',
  'package/node_modules/left-pad/',
  'package/node_modules/left-pad/index.js',
  'package/node_modules/left-pad/package.json',
  'package/package.json',
  'package/prompts/',
  'package/prompts/summarize.user.hbs',
];

/** Writes a plugin folder with the given manifest and one entry file. */
export async function writePlugin(dir: string, manifest: Record<string, unknown>): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(dir, 'index.js'), 'export default {};\n');
  return dir;
}
