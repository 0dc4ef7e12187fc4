import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir } from './host-plugins.js';

/** The plain-Python MCP server fixture, shipped as a folder plugin. */
export const pythonNotesDir = join(fixturesDir, 'servers', 'python-notes');

/** A copy of the python-notes folder at `dest`, with `server` (and other manifest fields) replaced when given. */
export async function pythonNotesCopy(dest: string, manifest: Record<string, unknown> = {}): Promise<string> {
  await cp(pythonNotesDir, dest, { recursive: true });
  if (Object.keys(manifest).length) {
    const { readFile } = await import('node:fs/promises');
    const m = JSON.parse(await readFile(join(dest, 'plugin.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dest, 'plugin.json'), JSON.stringify({ ...m, ...manifest }, null, 2));
  }
  return dest;
}
