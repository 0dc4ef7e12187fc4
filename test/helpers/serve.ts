import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { pm, pmBin, repoRoot } from './pm.js';

export const servePluginsDir = join(repoRoot, 'test', 'fixtures', 'serve-plugins');

/** A PM_HOME with the serve fixture plugins installed by `pm plugin-install`. */
export async function homeWithPlugins(dir: string, names = ['echo', 'guard', 'greeter']): Promise<string> {
  const home = join(dir, 'home');
  for (const name of names) {
    const r = await pm(['plugin-install', join(servePluginsDir, name), '--home', home]);
    if (r.exitCode !== 0) throw new Error(`installing ${name} failed: ${r.stderr}`);
  }
  return home;
}

export interface StdioSession {
  client: Client;
  transport: StdioClientTransport;
  /** Everything the server wrote to stderr so far. */
  stderr: () => string;
  close: () => Promise<void>;
}

/**
 * Spawns the real `bin/pm.js serve --mcp` under a real SDK Client over stdio. With
 * `stdoutLog`, the raw stdout is also copied to that file (through tee-stdout.mjs); `env` adds to its environment.
 */
export async function connectStdio(home: string, extraArgs: string[] = [], opts: { stdoutLog?: string; env?: Record<string, string> } = {}): Promise<StdioSession> {
  const serveArgs = [pmBin, 'serve', '--mcp', '--home', home, ...extraArgs];
  const args = opts.stdoutLog ? [join(repoRoot, 'test', 'helpers', 'tee-stdout.mjs'), opts.stdoutLog, process.execPath, ...serveArgs] : serveArgs;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...opts.env },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'pm-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport, stderr: () => err, close: () => client.close() };
}
