import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFilesRecursive } from '../../../../src/core/fs/list-files.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('listFilesRecursive', () => {
  it('lists regular files sorted, skipping node_modules and links unless asked', async () => {
    const d = join(tmp.dir, 'tree');
    await mkdir(join(d, 'b', 'node_modules', 'x'), { recursive: true });
    await writeFile(join(d, 'z.ts'), '');
    await writeFile(join(d, 'b', 'a.ts'), '');
    await writeFile(join(d, 'b', 'a.js'), '');
    await writeFile(join(d, 'b', 'node_modules', 'x', 'i.ts'), '');
    await symlink(join(d, 'z.ts'), join(d, 'link.ts'));
    expect(await listFilesRecursive(d, { accept: (n) => n.endsWith('.ts') })).toEqual([join(d, 'b', 'a.ts'), join(d, 'z.ts')]);
    expect(await listFilesRecursive(d, { includeNodeModules: true })).toContain(join(d, 'b', 'node_modules', 'x', 'i.ts'));
  });

  it('returns nothing for a missing folder or a file', async () => {
    expect(await listFilesRecursive(join(tmp.dir, 'missing'))).toEqual([]);
    await writeFile(join(tmp.dir, 'f'), '');
    expect(await listFilesRecursive(join(tmp.dir, 'f'))).toEqual([]);
  });
});
