import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { clientSnippets, httpClientSnippets, pmServerEntry, type ClientSnippets, type HttpClientSnippets, type ServerEntry } from '../client-config/entry.js';
import { knownClientConfigs, type ClientConfigFile } from '../client-config/locations.js';
import { scanClientConfigs } from '../client-config/scan-configs.js';
import { networkPermissionEnforced, permissionFlag } from '../runtime/permission-flag.js';
import { detectOsSandbox, SANDBOX_ENV } from '../runtime/os-sandbox.js';
import { serveTokenPath, serveTokenStatus } from '../serve-token.js';
import { isPmError } from '../errors.js';
import { listSecrets } from '../store/secrets.js';
import { storePaths } from '../store/paths.js';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  hint?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
  /** The MCP client entry that starts pm on this machine, and its ready-to-paste forms. */
  client: { entry: ServerEntry; snippets: ClientSnippets; http: { url: string; tokenPath: string; snippets: HttpClientSnippets } };
}

/** Where pm serve --http starts by default. */
const DEFAULT_HTTP_URL = 'http://127.0.0.1:7420/mcp';

function checkNode(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 20) return { name: 'node', status: 'ok', detail: `Node ${process.versions.node}` };
  return { name: 'node', status: 'fail', detail: `Node ${process.versions.node}`, hint: 'install Node 20 or newer' };
}

function checkPermissionModel(): Check {
  const flag = permissionFlag();
  if (!flag) {
    return { name: 'permission model', status: 'warn', detail: 'not available: plugins run without a sandbox', hint: 'install Node 20 or newer for plugin sandboxing' };
  }
  const net = networkPermissionEnforced() ? 'network enforced' : 'network not enforced before Node 25';
  return { name: 'permission model', status: 'ok', detail: `available via ${flag} (${net})` };
}

/** Which layer confines plugin processes here (DESIGN §5), why, and how to get bubblewrap. */
function checkOsSandbox(): Check {
  const f = detectOsSandbox();
  const name = 'sandbox';
  if (f.available) {
    const limits = f.prlimit ? 'memory and process limits via prlimit' : 'no rlimits: prlimit (util-linux) is not on PATH';
    return { name, status: 'ok', detail: `bubblewrap: every plugin process runs in its own namespaces with only its folders bound in; module plugins also under Node's permission model; ${limits} (${f.reason})` };
  }
  const fallback = "module plugins run under Node's permission model only; server plugins start only with full trust (pm plugin-trust <name> --full)";
  const forced = process.env[SANDBOX_ENV] === 'node' || process.env[SANDBOX_ENV] === 'none';
  return { name, status: 'warn', detail: `no OS sandbox: ${f.reason}; ${fallback}`, hint: forced ? `unset ${SANDBOX_ENV} to use bubblewrap` : f.hint ?? 'bubblewrap needs Linux with user namespaces' };
}

async function nearestExisting(path: string): Promise<string> {
  for (let p = path; ; p = dirname(p)) {
    try {
      await stat(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}

async function checkHome(home: string): Promise<Check> {
  const existing = await nearestExisting(home);
  if (!(await stat(existing)).isDirectory()) {
    return { name: 'PM_HOME', status: 'fail', detail: `${home} cannot be created: ${existing} is a file`, hint: 'choose another folder with --home or PM_HOME' };
  }
  try {
    await access(existing, constants.W_OK);
    const detail = existing === home ? `${home} (writable)` : `${home} (not created yet; ${existing} is writable)`;
    return { name: 'PM_HOME', status: 'ok', detail };
  } catch {
    return { name: 'PM_HOME', status: 'fail', detail: `${home} is not writable`, hint: `fix the permissions of ${existing}, or choose another folder with --home or PM_HOME` };
  }
}

async function checkGpg(): Promise<Check> {
  try {
    const { stdout } = await execa('gpg', ['--version'], { timeout: 5000 });
    return { name: 'gpg', status: 'ok', detail: stdout.split('\n')[0] ?? 'gpg' };
  } catch {
    return { name: 'gpg', status: 'warn', detail: 'not found (optional)', hint: 'pm signs and verifies without it; install GnuPG (apt-get install gnupg) to cross-check signatures with gpg --verify' };
  }
}

async function checkStoreHealth(home: string): Promise<Check> {
  const { checkStore } = await import('../store/check.js');
  const r = await checkStore(home);
  const fails = r.problems.filter((p) => p.severity === 'fail');
  // Mid-change, plugins/ and state.json differ by design until the journal is replayed: not a failure.
  if (r.problems.some((p) => p.code === 'CHANGE_INTERRUPTED')) {
    return {
      name: 'store', status: 'warn', detail: `recovering: ${r.problems.map((p) => p.message).join('; ')}`,
      hint: 'a change was interrupted or is under way; the next pm command that changes the store (or pm plugin-list) finishes or undoes it',
    };
  }
  if (fails.length) {
    return { name: 'store', status: 'fail', detail: fails.map((p) => p.message).join('; '), hint: 'reinstall the affected plugins (pm plugin-install --force …) or uninstall them; state.json is the record of what is installed' };
  }
  if (r.problems.length) {
    return { name: 'store', status: 'warn', detail: r.problems.map((p) => p.message).join('; '), hint: 'the next pm command that changes the store (or pm plugin-list) finishes or undoes it' };
  }
  return { name: 'store', status: 'ok', detail: `${r.plugins} plugin${r.plugins === 1 ? '' : 's'} installed, state.json agrees with plugins/` };
}

async function checkServeToken(home: string): Promise<Check> {
  const s = await serveTokenStatus(home);
  const name = 'HTTP token';
  if (s.state === 'missing') return { name, status: 'ok', detail: `${s.path} not created yet: pm serve --mcp --http generates it on first start (unless --token or PM_TOKEN is given)` };
  if (s.state === 'ok') return { name, status: 'ok', detail: `${s.path} (mode 0600): HTTP clients send Authorization: Bearer <its content>` };
  return { name, status: 'fail', detail: s.problem ?? s.path, hint: s.hint };
}

/** secrets.json as pm serve reads it: refused when others could read it (names only; values never read out). */
async function checkSecrets(home: string): Promise<Check> {
  const path = storePaths(home).secrets;
  try {
    const n = (await listSecrets({ home })).length;
    return { name: 'secrets', status: 'ok', detail: n ? `${n} secret${n === 1 ? '' : 's'} in ${path} (mode 0600)` : 'none stored (pm secret-set NAME)' };
  } catch (err) {
    if (isPmError(err)) return { name: 'secrets', status: 'fail', detail: err.message, hint: err.hint };
    return { name: 'secrets', status: 'fail', detail: `${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, hint: `fix its permissions (chmod 600 ${path})` };
  }
}

async function checkClientConfigs(files: ClientConfigFile[]): Promise<Check[]> {
  const findings = await scanClientConfigs(files);
  return findings.map((f) => {
    const name = `${f.client} config`;
    const where = f.at ? `${f.path} (${f.at})` : f.path;
    const worst = f.problems.find((p) => p.severity === 'fail') ?? f.problems[0];
    if (!worst) return { name, status: 'ok', detail: `${where} starts pm` };
    const status = f.problems.some((p) => p.severity === 'fail') ? 'fail' : 'warn';
    return { name, status, detail: `${where}: ${f.problems.map((p) => p.message).join('; ')}`, hint: worst.hint };
  });
}

/**
 * Checks this machine, PM_HOME and the pm entries of known MCP client configs (or `clientConfigs`);
 * never changes anything. Also returns the client entry that starts pm here.
 */
export async function runDoctor(options: { home: string; clientConfigs?: ClientConfigFile[] }): Promise<DoctorReport> {
  const checks = [checkNode(), checkPermissionModel(), checkOsSandbox(), await checkHome(options.home), await checkStoreHealth(options.home), await checkServeToken(options.home), await checkSecrets(options.home), await checkGpg()];
  checks.push(...(await checkClientConfigs(options.clientConfigs ?? knownClientConfigs())));
  const entry = pmServerEntry({ home: options.home });
  const tokenPath = serveTokenPath(options.home);
  const http = { url: DEFAULT_HTTP_URL, tokenPath, snippets: httpClientSnippets(DEFAULT_HTTP_URL, tokenPath) };
  return { ok: checks.every((c) => c.status !== 'fail'), checks, client: { entry, snippets: clientSnippets(entry), http } };
}
