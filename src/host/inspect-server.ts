import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest, ServerSpec } from '../core/manifest/types.js';
import type { EntryInspection, ReportedTool } from '../core/validate/types.js';

const NOTHING = { tools: [], resources: [], hooks: [] };
const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The config schema's defaults: what `${config.KEY}` is while validating (no user configuration yet). */
function configDefaults(m: Manifest): Record<string, unknown> {
  const props = (m.config as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties ?? {};
  return Object.fromEntries(Object.entries(props).filter(([, p]) => p?.default !== undefined).map(([k, p]) => [k, p.default]));
}

/** Expands the §2 substitutions for a validation start: secrets are empty (none is set for a folder under test). */
function expand(text: string, dir: string, dataDir: string, config: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'pluginDir') return dir;
    if (name === 'dataDir') return dataDir;
    if (name.startsWith('config.')) {
      const v = config[name.slice('config.'.length)];
      return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    }
    if (name.startsWith('secret.')) return '';
    return whole;
  });
}

/**
 * Starts a server plugin from its folder as the validation check does (DESIGN §2): the
 * SDK's Client over stdio, initialize, every page of tools/list, then stop. Never throws:
 * a server that does not start is `loaded: false` with the reason and its last stderr line.
 */
export async function inspectServer(dir: string, manifest: Manifest, options: { timeoutMs?: number } = {}): Promise<EntryInspection> {
  const [{ Client }, { StdioClientTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'), import('@modelcontextprotocol/sdk/client/stdio.js'),
  ]);
  const spec = manifest.server as ServerSpec;
  const dataDir = await mkdtemp(join(tmpdir(), 'pm-inspect-'));
  const config = configDefaults(manifest);
  const x = (s: string) => expand(s, dir, dataDir, config);
  const env = Object.fromEntries(Object.entries(spec.env ?? {}).map(([k, v]) => [k, x(v)]));
  const transport = new StdioClientTransport({
    command: x(spec.command), args: (spec.args ?? []).map(x), cwd: spec.cwd === undefined ? dir : x(spec.cwd),
    env: { ...env, PM_PLUGIN_DIR: dir, PM_DATA_DIR: dataDir }, stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });
  const client = new Client({ name: 'pm-plugin-validate', version: '1.0.0' });
  const timeout = options.timeoutMs ?? 10_000;
  try {
    await client.connect(transport, { timeout });
    const tools: ReportedTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {}, { timeout });
      tools.push(...page.tools.map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema })));
      cursor = page.nextCursor;
    } while (cursor);
    return { loaded: true, missing: NOTHING, undeclared: NOTHING, tools };
  } catch (err) {
    const last = stderr.trim().split('\n').pop();
    return { loaded: false, error: (err as Error).message + (last ? ` (stderr: ${last.trim()})` : ''), missing: NOTHING, undeclared: NOTHING };
  } finally {
    await client.close().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
}
