// npm run demo: pm's main job end to end, in a temporary PM_HOME, with no network:
// create and test a plugin, sign the example plugins, publish them in a signed
// marketplace, install from it with full verification, and use them through a real MCP
// client talking to `pm serve --mcp`. `npm run demo -- --keep` keeps the folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
// Built by `npm run demo` just before this script runs.
import { shellCommand } from '../dist/core/shell-quote.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'pm.js');
const examples = join(root, 'plugins-examples');
const work = mkdtempSync(join(tmpdir(), 'pm-demo-'));
const home = join(work, 'home');
const keep = process.argv.includes('--keep');
const started = Date.now();
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[22m` : s);
let stepNo = 0;

function title(text) {
  console.log(`\n${bold(`${++stepNo}. ${text}`)}`);
}

/** Runs `pm <args>` in the demo's PM_HOME and prints its output, a few lines of it, indented. */
function pm(args, { show = 6 } = {}) {
  // Shell-quoted, so that the line shown can be pasted as it is.
  console.log(dim(`   $ ${shellCommand(['pm', ...args])}`));
  // PM_HOME in the environment, not --home, so the commands shown are the ones to type.
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, PM_HOME: home, NO_COLOR: '1' } });
  const lines = `${r.stdout}`.trimEnd().split('\n').filter(Boolean);
  for (const l of lines.slice(0, show)) console.log(`     ${l}`);
  if (show > 0 && lines.length > show) console.log(`     … (${lines.length - show} more lines)`);
  lastOut = r.stdout;
  if (r.status !== 0) {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    throw new Error(`demo failed at: ${shellCommand(['pm', ...args])} (exit ${r.status})`);
  }
  return r.stdout;
}

let lastOut = '';
const lastLine = () => lastOut.trimEnd().split('\n').pop();
const text = (result) => result.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

async function main() {
  console.log(bold('pm demo') + dim(`  (in ${work}, PM_HOME=${home})`));

  title('Create a tool plugin called "hello" (no questions) and test it against the real host');
  pm(['plugin-create', 'hello', '--type', 'tool', '--yes'], { show: 1 });
  pm(['plugin-test', 'hello', '--reporter', 'tap'], { show: 0 });
  console.log('     ' + lastLine());

  title('Make a signing key (OpenPGP Ed25519, kept in PM_HOME/keys)');
  pm(['keys-generate', '--name', 'Demo Publisher', '--email', 'publisher@example.org'], { show: 2 });

  title('Package and sign every example plugin (reproducible .tgz + clear-signed .prov)');
  const plugins = readdirSync(examples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const pkgs = join(work, 'packages');
  for (const p of plugins) {
    pm(['plugin-package', join(examples, p), '--out', pkgs], { show: 0 });
    pm(['plugin-sign', join(pkgs, `${p}-1.0.0.tgz`)], { show: 1 });
  }

  title('Build a signed marketplace from the packages (a static site: index.json + .asc)');
  const site = join(work, 'site');
  pm(['registry-build', pkgs, '--out', site, '--name', 'pm-examples'], { show: 2 });

  title("Add the marketplace, pinning its publisher's key");
  pm(['marketplace-add', 'examples', site, '--key', join(site, 'key.asc')], { show: 2 });

  title('Install three plugins from it: index and package signatures and integrity are verified');
  pm(['marketplace-install', 'notes', 'policy-guard', 'prompt-pack']);
  pm(['plugin-config', 'policy-guard', 'blockTools', '["notes.delete"]'], { show: 1 });
  pm(['plugin-list']);

  title('Start `pm serve --mcp` and connect a real MCP client over stdio');
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'serve', '--mcp', '--log-level', 'warn'], env: { ...process.env, PM_HOME: home }, stderr: 'pipe' });
  const client = new Client({ name: 'pm-demo', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    console.log(`   tools/list: ${tools.map((t) => t.name).join(', ')}`);
    const { prompts } = await client.listPrompts();
    console.log(`   prompts/list: ${prompts.map((p) => p.name).join(', ')}`);

    title('Call one tool of each plugin through the client');
    const call = async (name, args) => {
      const r = await client.callTool({ name, arguments: args });
      console.log(`   ${name} ${JSON.stringify(args)}\n     → ${r.isError ? 'error: ' : ''}${text(r).split('\n').join('\n       ')}`);
      return r;
    };
    const added = await call('notes__add', { title: 'Try pm', text: 'Write a plugin with pm plugin-create', tags: ['todo'] });
    if (added.isError) throw new Error('notes__add failed');
    await call('notes__search', { query: 'plugin' });
    const blocked = await call('notes__delete', { id: '1' });
    if (!blocked.isError) throw new Error('policy-guard did not block notes.delete');
    await call('policy-guard__audit', { limit: 3 });
    await call('usage-analytics__report', {});
    const prompt = await client.getPrompt({ name: 'prompt-pack__summary', arguments: { text: 'pm installs signed plugins.', length: 'one sentence' } });
    console.log(`   prompt-pack__summary → ${prompt.messages[0].content.text.split('\n')[0]}`);
    const note = await client.readResource({ uri: 'notes://1' });
    console.log(`   resources/read notes://1 → ${note.contents[0].text.split('\n')[0]}`);
  } finally {
    await client.close();
  }

  console.log(`\n${bold('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s.${keep ? ` Kept ${work}.` : ''}
Try next (pm is \`node bin/pm.js\` here, or \`npm link\` to put it on your PATH):
  pm plugin-create                              the wizard: name, type, language, tests, CI
  pm plugin-test my-plugin                      validate it and run its tests against the real host
  pm plugin-package my-plugin && pm plugin-sign my-plugin-0.1.0.tgz
  pm plugin-test plugins-examples/notes         the examples' own tests
  pm serve --mcp                                add this to your MCP client (docs/serve.md)
  docs/plugin-author-guide.md                   from plugin-create to a signed marketplace`);
}

try {
  await main();
} catch (err) {
  console.error(`\n${err.message}`);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
