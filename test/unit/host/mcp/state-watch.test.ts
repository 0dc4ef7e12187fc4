import { afterAll, describe, expect, it } from 'vitest';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { watchFileContent } from '../../../../src/host/mcp/state-watch.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('watchFileContent', () => {
  it('reports a change written by rename (as the store writes state.json), once per content change', async () => {
    const file = join(tmp.dir, 'state.json');
    await writeFile(file, '{"v":1}');
    const seen: string[] = [];
    let notify: () => void = () => {};
    const w = watchFileContent(file, async () => {
      seen.push(await readFile(file, 'utf8'));
      notify();
    }, { debounceMs: 20, pollMs: 200 });
    try {
      // Let the watcher read its baseline first.
      await new Promise((r) => setTimeout(r, 100));
      const changed = new Promise<void>((r) => (notify = r));
      await writeFile(join(tmp.dir, '.state.tmp'), '{"v":2}');
      await rename(join(tmp.dir, '.state.tmp'), file);
      await changed;
      expect(seen).toEqual(['{"v":2}']);
      // Rewriting the same content is not a change. Writes go by rename, as the store's do: a plain
      // writeFile truncates first, and a watcher that reads in between sees an empty file.
      const replace = async (text: string) => {
        await writeFile(join(tmp.dir, '.state.tmp'), text);
        await rename(join(tmp.dir, '.state.tmp'), file);
      };
      await replace('{"v":2}');
      const again = new Promise<void>((r) => (notify = r));
      await replace('{"v":3}');
      await again;
      expect(seen).toEqual(['{"v":2}', '{"v":3}']);
    } finally {
      w.close();
    }
  });
});
