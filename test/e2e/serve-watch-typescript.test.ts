// pm serve --mcp --watch with a linked TypeScript plugin: an edit of src/ is rebuilt before the reload (issue 21.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { connectStdio, type StdioSession } from '../helpers/serve.js';

const tmp = await tempDir('pm-serve-watch-ts-');
const home = join(tmp.dir, 'home');
const dev = join(tmp.dir, 'hello');
let s: StdioSession;
const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((c) => c.text);

beforeAll(async () => {
  expect((await pm(['plugin-create', 'hello', '--type', 'tool', '--lang', 'ts', '--dir', tmp.dir, '--json'])).exitCode).toBe(0);
  const linked = await pm(['plugin-link', dev, '--home', home]);
  expect(linked.exitCode, linked.stderr).toBe(0);
  s = await connectStdio(home, ['--watch']);
}, 60_000);
afterAll(async () => {
  await s?.close();
  await tmp.cleanup();
});

describe('pm serve --mcp --watch, linked TypeScript plugin', () => {
  it('rebuilds dist/ from an edited src/index.ts and serves the new code', async () => {
    expect(text(await s.client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } }))).toEqual(['Hello, Ada!']);
    const src = join(dev, 'src', 'index.ts');
    await writeFile(src, (await readFile(src, 'utf8')).replace('${args.name}!`', '${args.name}, rebuilt!`'));
    await expect.poll(async () => text(await s.client.callTool({ name: 'hello__greet', arguments: { name: 'Ada' } }))[0], { timeout: 20_000, interval: 200 }).toBe('Hello, Ada, rebuilt!');
    expect(await readFile(join(dev, 'dist', 'index.js'), 'utf8')).toContain('rebuilt!');
  });
});
