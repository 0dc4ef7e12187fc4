import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { probeOsSandbox } from '../../src/core/runtime/os-sandbox.js';
import { eventually } from '../helpers/host-plugins.js';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { connectStdio, type StdioSession } from '../helpers/serve.js';

// The real third-party servers (issue 14): @modelcontextprotocol/server-everything and server-memory,
// devDependencies copied with their production dependencies into plugin folders (offline), installed
// into the store and served through the real `pm serve --mcp` to the SDK's Client, in bubblewrap where
// it runs here and with the fallback (PM_SANDBOX=node + full trust) everywhere.
const bwrap = probeOsSandbox();
const tmp = await tempDir('pm-e2e-third-party-');
afterAll(() => tmp.cleanup());

interface Pkg { dir: string; rel: string }

/** The folder Node would load `name` from when required inside `fromDir` (walking up node_modules). */
function resolvePackage(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === repoRoot || dirname(dir) === dir) return undefined;
  }
}

/** `name` and its production dependency closure as found in the repo's node_modules. */
function closure(name: string): Pkg[] {
  const seen = new Map<string, Pkg>();
  const visit = (n: string, from: string, optional: boolean) => {
    const dir = resolvePackage(n, from);
    if (!dir) {
      if (optional) return;
      throw new Error(`${n} (needed from ${from}) is not in node_modules`);
    }
    if (seen.has(dir)) return;
    seen.set(dir, { dir, rel: dir.slice(repoRoot.length + 1) });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const d of Object.keys(pkg.dependencies ?? {})) visit(d, dir, false);
    for (const d of [...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]) visit(d, dir, true);
  };
  visit(name, repoRoot, false);
  return [...seen.values()];
}

/** A server plugin folder holding `pkg` and its dependencies (hard links), running `entry` over stdio. */
async function serverFolder(pluginName: string, pkg: string, entry: string[], env: Record<string, string> = {}): Promise<string> {
  const dir = join(tmp.dir, 'src', pluginName);
  // Only top-level packages are copied: a nested node_modules travels inside its parent's folder.
  const top = closure(pkg).filter((p) => !p.rel.slice('node_modules/'.length).includes('/node_modules/'));
  for (const p of top) {
    await mkdir(dirname(join(dir, p.rel)), { recursive: true });
    await execa('cp', ['-al', p.dir, join(dir, p.rel)]);
  }
  const version = JSON.parse(readFileSync(join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({
    name: pluginName, version, description: `${pkg} as a server plugin`, author: 'pm tests', license: 'MIT',
    server: { command: 'node', args: [`\${pluginDir}/node_modules/${pkg}/${entry[0]}`, ...entry.slice(1)], ...(Object.keys(env).length ? { env } : {}) },
  }, null, 2));
  return dir;
}

/** A module plugin whose guard denies everything__echo's message "forbidden". */
async function guardFolder(): Promise<string> {
  const dir = join(tmp.dir, 'src', 'guard');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({
    name: 'guard', version: '1.0.0', description: 'Denies a proxied tool of server-everything', author: 'pm tests', license: 'MIT', main: 'index.js',
    engines: { pm: '^1.0.0' }, contributes: { hooks: [{ event: 'tool:before-call', match: { tool: 'everything.echo' } }] },
  }));
  await writeFile(join(dir, 'index.js'), "export default { hooks: { 'tool:before-call': async (call) => (call.arguments?.message === 'forbidden' ? { deny: 'the word is forbidden' } : undefined) } };\n");
  return dir;
}

let folders: string[] = [];
beforeAll(async () => {
  folders = [
    await serverFolder('everything', '@modelcontextprotocol/server-everything', ['dist/index.js', 'stdio']),
    // Its default file lives beside its code, read-only in the sandbox: the data folder instead.
    await serverFolder('memory', '@modelcontextprotocol/server-memory', ['dist/index.js'], { MEMORY_FILE_PATH: '${dataDir}/memory.jsonl' }),
    await guardFolder(),
  ];
}, 60_000);

const modes = [
  { mode: 'inside bubblewrap', env: {} as Record<string, string>, skip: bwrap.available ? undefined : bwrap.reason },
  { mode: 'with the fallback (PM_SANDBOX=node and full trust)', env: { PM_SANDBOX: 'node' }, skip: undefined },
];

describe.each(modes)('server-everything and server-memory through pm serve --mcp $mode', ({ mode, env, skip }) => {
  const home = join(tmp.dir, mode.startsWith('inside') ? 'home-bwrap' : 'home-node');
  const run = (...args: string[]) => pm([...args, '--home', home], { env });
  let session: StdioSession | undefined;
  if (skip) console.warn(`SKIPPED third-party servers ${mode}: ${skip}`);

  beforeAll(async () => {
    if (skip) return;
    for (const dir of folders) {
      const r = await run('plugin-install', dir, '--yes');
      expect(r.exitCode, r.stderr).toBe(0);
    }
    if (env.PM_SANDBOX) for (const name of ['everything', 'memory']) expect((await run('plugin-trust', name, '--full')).exitCode).toBe(0);
    session = await connectStdio(home, [], { env });
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it.skipIf(!!skip)(skip ? `lists, calls and guards the real servers — SKIPPED: ${skip}` : 'lists both servers\' tools, pinning them on the first list, and calls everything__echo', async () => {
    const { tools } = await session!.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['everything__echo', 'everything__get-sum', 'memory__create_entities', 'memory__read_graph']));
    for (const name of ['everything', 'memory']) {
      expect(JSON.parse(await readFile(join(home, 'pins', `${name}.json`), 'utf8'))).toMatchObject({ version: 1, plugin: name, hash: expect.stringMatching(/^sha256-/) });
    }
    const r = await session!.client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
    expect(r.isError, session!.stderr()).toBeFalsy();
    expect(r.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
    // Where the servers started: bubblewrap in one mode, the plain command (full trust) in the other.
    const perms = JSON.parse((await run('plugin-permissions', 'everything', '--json')).stdout);
    if (env.PM_SANDBOX) expect(perms.launch.file).not.toMatch(/bwrap$/);
    else expect(perms).toMatchObject({ policy: { sandbox: { layer: 'bwrap' } }, launch: { file: expect.stringMatching(/bwrap$/) } });
  });

  it.skipIf(!!skip)('creates entities in server-memory and reads them back from its graph (kept in its data folder)', async () => {
    const created = await session!.client.callTool({ name: 'memory__create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] } });
    expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
    const graph = await session!.client.callTool({ name: 'memory__read_graph', arguments: {} });
    expect(graph.isError).toBeFalsy();
    const text = (graph.content as { text: string }[])[0]!.text;
    expect(JSON.parse(text).entities).toEqual([expect.objectContaining({ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] })]);
    expect(await readFile(join(home, 'data', 'memory', 'memory.jsonl'), 'utf8').catch(() => '')).toContain('"Ada"');
  });

  it.skipIf(!!skip)('a guard hook plugin denies a call of a proxied tool, and lets others through', async () => {
    const denied = await session!.client.callTool({ name: 'everything__echo', arguments: { message: 'forbidden' } });
    expect(denied.isError).toBe(true);
    expect(denied.content).toEqual([{ type: 'text', text: 'everything__echo was blocked by guard: the word is forbidden' }]);
    const sum = await session!.client.callTool({ name: 'everything__get-sum', arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(sum.content)).toContain('5');
  });

  it.skipIf(!!skip)('pm stats counts the calls once pm serve stopped', async () => {
    await session?.close();
    session = undefined;
    const stats = await eventually(async () => {
      const r = await run('stats', '--json');
      return r.exitCode === 0 && r.stdout.includes('memory.read_graph') ? r.stdout : undefined;
    }, 'the stats of the stopped serve');
    expect(stats).toContain('everything.echo');
    expect(stats).toContain('memory.create_entities');
  });
});
