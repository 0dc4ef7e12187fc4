// Shared by the server-plugin benchmarks (proxy-*.bench.mjs): server-everything as a server plugin folder,
// installed into a PM_HOME through pm's own store, and an SDK Client on a spawned stdio program.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { repoRoot } from './lib.mjs';

const { installPlugin } = await import(join(repoRoot, 'dist', 'core', 'store', 'install.js'));
const { setFullTrust } = await import(join(repoRoot, 'dist', 'core', 'store', 'trust.js'));
const { makePin, writePin } = await import(join(repoRoot, 'dist', 'core', 'store', 'pins.js'));

/** server-everything's stdio entry (its bin `mcp-server-everything` is dist/index.js, the transport an argument). */
export const EVERYTHING_ENTRY = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
export const EVERYTHING_ARGS = [EVERYTHING_ENTRY, 'stdio'];

/** The manifest of a server plugin `name` running server-everything over stdio. */
export function everythingPlugin(name) {
  return {
    name, version: '1.0.0', description: `server-everything as the server plugin ${name}`, author: 'bench', license: 'MIT',
    // node from PATH, as a user writes it; the entry is this checkout's devDependency, outside the
    // folder, so the plugin runs unsandboxed (SERVE_ENV and full trust below), as the direct call does.
    server: { command: 'node', args: EVERYTHING_ARGS },
  };
}

/** Writes `manifest` as a plugin folder under root/src and installs it into `home` with full trust, its pin holding `tools`. */
export async function installServerPlugin(root, home, manifest, tools) {
  const dir = join(root, 'src', manifest.name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.json'), JSON.stringify(manifest, null, 2));
  await installPlugin(dir, { home });
  await setFullTrust(manifest.name, true, { home });
  await writePin(home, makePin(manifest.name, manifest.version, tools));
}

/**
 * pm serve's environment in these benchmarks: no OS sandbox (bubblewrap binds in only the plugin's
 * folder, and the entry lives in this checkout's node_modules), so with full trust the server runs
 * as the direct baseline does and the figures compare the MCP hop alone.
 */
export const SERVE_ENV = { PM_SANDBOX: 'node' };

/** An SDK Client connected to `node <args>` over stdio; `transport.pid` is the program's pid. */
export async function connect(args, env = {}) {
  const transport = new StdioClientTransport({ command: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'ignore', cwd: repoRoot });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return Object.assign(client, { pid: transport.pid });
}
