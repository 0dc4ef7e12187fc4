// Issue 14's "Done when", tried as a new user would, in a fresh temporary PM_HOME, with the pm CLI:
//   a Python server folder (test/fixtures/servers/python-notes), `pm mcp-add` of a local script,
//   the policy-guard example blocking one tool, one `pm serve --mcp` listing and calling them with
//   the MCP SDK Client, and `pm stats` showing the calls. With --npm it also runs
//   `pm plugin-install npm:@modelcontextprotocol/server-filesystem --arg '${dataDir}'` (network).
// Usage: npm run build && node scripts/try-servers.mjs [--npm] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const pmBin = join(repo, 'bin', 'pm.js');
const withNpm = process.argv.includes('--npm');
const keep = process.argv.includes('--keep');
if (!existsSync(join(repo, 'dist'))) {
  console.error('try-servers: pm is not built; run npm run build first');
  process.exit(2);
}

// A user's own MCP server: plain Node, no SDK, two tools.
const SHOUT_SERVER = `import { createInterface } from 'node:readline';
const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\\n');
const schema = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };
const tools = [{ name: 'shout', description: 'Upper-cases a text', inputSchema: schema }, { name: 'whisper', description: 'Lower-cases a text', inputSchema: schema }];
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined) return;
  if (m.method === 'initialize') return send({ id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'shout', version: '1.0.0' } } });
  if (m.method === 'tools/list') return send({ id: m.id, result: { tools } });
  if (m.method === 'ping') return send({ id: m.id, result: {} });
  if (m.method === 'tools/call') {
    const t = String(m.params.arguments?.text ?? '');
    return send({ id: m.id, result: { content: [{ type: 'text', text: m.params.name === 'shout' ? t.toUpperCase() : t.toLowerCase() } ] } });
  }
  send({ id: m.id, error: { code: -32601, message: 'Method not found: ' + m.method } });
});
`;

const results = [];
function check(what, ok, detail = '') {
  results.push({ what, ok });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
}

/** Runs `pm <args>` as a user would (PM_HOME set), printing the command; returns its result. */
function pm(home, args, quiet = false) {
  if (!quiet) console.log(`$ pm ${args.map((a) => (/[\s${}'"]/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [pmBin, ...args], { env: { ...process.env, PM_HOME: home, NO_COLOR: '1' }, encoding: 'utf8', timeout: 180_000 });
  const out = `${r.stdout}${r.stderr}`.trim();
  if (out && !quiet) console.log(out.split('\n').map((l) => `    ${l}`).join('\n'));
  return r;
}

const text = (r) => (r.content ?? []).map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' ');

const root = await mkdtemp(join(tmpdir(), 'pm-try-servers-'));
const home = join(root, 'pm-home');
try {
  const python = spawnSync('python3', ['--version']).status === 0;
  if (python) check('install a Python server folder', pm(home, ['plugin-install', join(repo, 'test', 'fixtures', 'servers', 'python-notes'), '--yes']).status === 0);
  else console.log('skip python-notes: no python3 on PATH');
  const script = join(root, 'my-servers', 'shout-server.mjs');
  await mkdir(dirname(script), { recursive: true });
  await writeFile(script, SHOUT_SERVER);
  check('pm mcp-add of a local script', pm(home, ['mcp-add', 'shout', '--yes', '--', 'node', script]).status === 0);
  if (withNpm) check('install server-filesystem from npm', pm(home, ['plugin-install', 'npm:@modelcontextprotocol/server-filesystem', '--arg', '${dataDir}', '--yes']).status === 0);
  check('install the policy-guard example', pm(home, ['plugin-install', join(repo, 'plugins-examples', 'policy-guard'), '--yes']).status === 0);
  check('configure policy-guard to block shout.whisper', pm(home, ['plugin-config', 'policy-guard', 'blockTools', '["shout.whisper"]']).status === 0);

  console.log(`$ pm serve --mcp   (the MCP SDK Client on its stdio)`);
  const transport = new StdioClientTransport({ command: process.execPath, args: [pmBin, 'serve', '--mcp'], env: { PATH: process.env.PATH ?? '', PM_HOME: home }, stderr: 'pipe' });
  let serveLog = '';
  transport.stderr?.on('data', (d) => (serveLog += d));
  const client = new Client({ name: 'try-servers', version: '1.0.0' });
  await client.connect(transport);
  try {
    const names = (await client.listTools()).tools.map((t) => t.name);
    console.log(`    tools/list: ${names.join(', ')}`);
    const want = ['shout__shout', 'shout__whisper', ...(python ? ['python-notes__add'] : []), ...(withNpm ? ['server-filesystem__read_text_file'] : [])];
    check('tools/list shows every server', want.every((n) => names.includes(n)), want.filter((n) => !names.includes(n)).join(', ') || undefined);
    const call = async (name, args) => {
      const r = await client.callTool({ name, arguments: args });
      console.log(`    ${name} ${JSON.stringify(args)} -> ${r.isError ? 'error: ' : ''}${text(r)}`);
      return r;
    };
    if (python) check('python-notes.add answers', text(await call('python-notes__add', { a: 2, b: 3 })) === '5');
    check('shout.shout answers', text(await call('shout__shout', { text: 'hello' })) === 'HELLO');
    const blocked = await call('shout__whisper', { text: 'HELLO' });
    check('policy-guard blocks shout.whisper', blocked.isError === true && /blocked by policy-guard/.test(text(blocked)));
    if (withNpm) {
      const dir = (text(await call('server-filesystem__list_allowed_directories', {})).split('\n')[1] ?? '').trim();
      await call('server-filesystem__write_file', { path: join(dir, 'note.txt'), content: 'from try-servers' });
      check('server-filesystem writes and reads in its data folder', text(await call('server-filesystem__read_text_file', { path: join(dir, 'note.txt') })) === 'from try-servers');
    }
  } finally {
    await client.close();
  }
  pm(home, ['stats']);
  const stats = pm(home, ['stats', '--json'], true);
  const tools = stats.status === 0 ? JSON.parse(stats.stdout).tools ?? {} : {};
  check('pm stats counts the calls', tools['shout.shout']?.calls === 1 && tools['shout.whisper']?.errors === 1 && (!python || tools['python-notes.add']?.calls === 1));
  if (results.some((r) => !r.ok)) console.log(`--- pm serve's log:\n${serveLog}`);
} finally {
  if (keep) console.log(`PM_HOME kept: ${home}`);
  else await rm(root, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.ok);
console.log(failed.length ? `${failed.length} of ${results.length} checks failed` : `all ${results.length} checks passed`);
process.exitCode = failed.length ? 1 : 0;
