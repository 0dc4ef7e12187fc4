// Every pm command shown in README.md, docs/*.md (fenced sh/bash/shell/console blocks) and the
// Examples of `pm --help` / `pm <command> --help` runs, pasted as it is into bash, against a
// fixture: a folder holding the example plugins and their signed packages, and a PM_HOME with a
// signing key and the examples' signed marketplace added as `main`. Each document (and each
// command's help) gets its own copy of that fixture and runs its commands in order.
import { execa } from 'execa';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { homeWithKey } from '../helpers/market.js';
import { pm, pmBin, repoRoot, tempDir } from '../helpers/pm.js';

/** Commands not run, each with why: they need the network or an AI client. */
const SKIP: Record<string, string> = {
  'pm serve --mcp': 'an MCP server waiting for its client on stdin (test/e2e/serve-stdio.test.ts)',
  'pm serve --mcp --http 7420': 'an HTTP server that runs until stopped (test/e2e/serve-http.test.ts)',
  'pm marketplace-add main https://plugins.example.org/ --key main-key.asc': 'network: an example URL (the fixture adds the same registry from disk as main)',
  'pm marketplace-add acme https://plugins.acme.example/ --key acme.asc': 'network: an example URL (test/e2e/marketplace.test.ts adds a real site)',
  'pm plugin-install https://example.org/prompt-pack-1.0.0.tgz': 'network: an example URL (test/e2e/plugin-store.test.ts installs over HTTP)',
  "pm plugin-install npm:@modelcontextprotocol/server-filesystem --arg '${dataDir}' --yes": 'network: the npm registry (test/e2e/plugin-install-npm.test.ts installs from a registry on 127.0.0.1)',
  'pm plugin-install npm:@modelcontextprotocol/server-memory@^2025 --name memory --yes': 'network: the npm registry (test/e2e/plugin-install-npm.test.ts installs from a registry on 127.0.0.1)',
  'pm plugin-update server-filesystem --yes': 'network: the npm registry (test/e2e/plugin-install-npm.test.ts updates from a registry on 127.0.0.1)',
  'PM_TOKEN=$(openssl rand -hex 24) pm serve --mcp --http --host 0.0.0.0': 'an HTTP server that runs until stopped (test/e2e/serve-http.test.ts)',
  'pm serve --mcp --profile coding': 'an MCP server waiting for its client on stdin (test/e2e/profile-commands.test.ts)',
  'pm plugin-install registry:io.github.owner/weather@1.0.0 --registry-url https://registry.example.org': 'network: an example URL (test/e2e/plugin-install-registry.test.ts reads a registry on 127.0.0.1)',
  'pm plugin-export ./weather --format server-json --out server.json': 'needs a plugin installed from npm: (test/e2e/plugin-export.test.ts exports fixtures)',
  'pm secret-set GITHUB_TOKEN': 'asks for the value on a terminal (test/e2e/secret-commands.test.ts types it on a pty)',
  'gh auth token | pm secret-set GITHUB_TOKEN': 'needs the GitHub CLI and an account (test/e2e/secret-commands.test.ts pipes a value)',
};

/** Commands whose documented outcome is not exit 0: the exit code and where it is documented. */
const EXPECTED_EXIT: Record<string, { code: number; why: string }> = {
  'pm plugin-create': { code: 2, why: 'the wizard needs a terminal; without one a missing name is a usage error (README "Create your first plugin")' },
};

/** Help examples that start somewhere else than the fixture folder, or need a plugin installed first. */
const HELP_SETUP: Record<string, { cwd?: string; before?: string[] }> = {
  'plugin-test': { cwd: 'notes' }, // "the plugin in the current folder"
  'plugin-validate': { cwd: 'notes' },
  'plugin-build': { cwd: 'notes' },
  'plugin-config': { before: ['pm plugin-install ./usage-analytics', 'pm plugin-install ./notes'] },
  'prompt-render': { before: ['pm plugin-install ./prompt-pack'] },
};

const EXAMPLES = ['http-fetch', 'notes', 'policy-guard', 'prompt-pack', 'usage-analytics'];

interface Documented { where: string; block: number; command: string }

/** The commands of one Markdown file: `pm …` lines (also `$ pm …`, and `cd`) in shell-tagged fenced blocks. */
function markdownCommands(file: string, text: string): Documented[] {
  const out: Documented[] = [];
  let block = 0;
  let inShell: boolean | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\w*)/.exec(lines[i]);
    if (fence) {
      if (inShell === undefined) { inShell = ['sh', 'bash', 'shell', 'console', 'zsh'].includes(fence[1]); block++; } else inShell = undefined;
      continue;
    }
    if (!inShell) continue;
    let line = lines[i].trim().replace(/^\$ /, '');
    const first = i + 1;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1).trimEnd()} ${lines[++i].trim()}`;
    if (/^(pm|cd) /.test(line)) out.push({ where: `${file}:${first}`, block, command: line });
  }
  return out;
}

/** What a help text shows after `$ `, without the description that follows two spaces. */
function helpCommands(name: string, text: string): Documented[] {
  return text.split('\n').map((l) => /^\s*\$ (.+)$/.exec(l)?.[1]).filter((c): c is string => !!c && /\bpm /.test(c))
    .map((c) => ({ where: `pm ${name} --help`.replace('pm pm ', 'pm '), block: 1, command: c.split(/\s{2,}/)[0].trim() }));
}

/** The full help text (with Examples) of pm and of each command, as `pm <command> --help` prints it. */
function helpTexts(): { name: string; text: string }[] {
  const program = buildProgram();
  return [program, ...program.commands].map((cmd) => {
    let text = '';
    cmd.configureOutput({ writeOut: (s) => { text += s; }, writeErr: (s) => { text += s; } });
    cmd.outputHelp();
    return { name: cmd === program ? 'pm' : cmd.name(), text };
  });
}

/** Strips the comment off a command for the skip and exit tables (bash strips it when running). */
const bare = (command: string) => command.replace(/\s+#.*$/, '').trim();

const tmp = await tempDir('pm-documented-');
const fixture = join(tmp.dir, 'fixture');
const shim = join(tmp.dir, 'bin');

beforeAll(async () => {
  // `pm` on PATH, as after `npm link` or a global install.
  await mkdir(shim, { recursive: true });
  await writeFile(join(shim, 'pm'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(pmBin)} "$@"\n`, { mode: 0o755 });
  const work = join(fixture, 'work');
  const home = join(fixture, 'home');
  const packages = join(fixture, 'packages');
  await mkdir(work, { recursive: true });
  await homeWithKey(home, 'Fixture Publisher');
  const { packPlugin } = await import('../../src/core/pack/index.js');
  const { signPackage } = await import('../../src/core/sign/index.js');
  for (const p of EXAMPLES) {
    await cp(join(repoRoot, 'plugins-examples', p), join(work, p), { recursive: true });
    const { file } = await packPlugin(join(work, p), { outDir: packages });
    await signPackage(file, { home });
  }
  // The README runs from a checkout (plugins-examples/notes); the docs from a folder of plugins (./notes).
  await symlink('.', join(work, 'plugins-examples'));
  for (const f of ['prompt-pack-1.0.0.tgz', 'prompt-pack-1.0.0.tgz.prov']) await cp(join(packages, f), join(work, f));
  // A fish user's home, for `pm completion fish > ~/.config/fish/completions/pm.fish`.
  await mkdir(join(fixture, '.config', 'fish', 'completions'), { recursive: true });
  const site = join(fixture, 'site');
  for (const args of [['registry-build', packages, '--out', site, '--name', 'examples'], ['marketplace-add', 'main', site, '--key', join(site, 'key.asc')]]) {
    const r = await pm([...args, '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => tmp.cleanup());

/** Runs `commands` in order in a fresh copy of the fixture; returns each failure as a line. */
async function runAll(name: string, commands: Documented[], setup: { cwd?: string; before?: string[] } = {}): Promise<string[]> {
  const dir = join(tmp.dir, name.replace(/[^A-Za-z0-9.-]+/g, '_'));
  await cp(fixture, dir, { recursive: true, verbatimSymlinks: true });
  const work = join(dir, 'work');
  const env = {
    PATH: `${shim}:${process.env.PATH}`,
    PM_HOME: join(dir, 'home'),
    HOME: dir, // completion scripts, doctor's client configs and ~/plugins land in the copy
    GNUPGHOME: join(dir, 'gnupg'),
    NO_COLOR: '1',
  };
  await mkdir(env.GNUPGHOME, { recursive: true, mode: 0o700 });
  const failures: string[] = [];
  const sh = (command: string, cwd: string) => execa('bash', ['-c', command], { cwd, env, extendEnv: false, reject: false, timeout: 90_000 });
  for (const c of setup.before ?? []) {
    const r = await sh(c, work);
    if (r.exitCode !== 0) failures.push(`setup ${c}: exit ${r.exitCode}\n${r.stderr}`);
  }
  let block = 0;
  let cwd = work;
  for (const d of commands) {
    if (d.block !== block) { block = d.block; cwd = setup.cwd ? join(work, setup.cwd) : work; }
    const cmd = bare(d.command);
    if (cmd.startsWith('cd ')) { cwd = join(cwd, cmd.slice(3).trim()); continue; }
    if (SKIP[cmd]) continue;
    const r = await sh(d.command, cwd);
    const expected = EXPECTED_EXIT[cmd]?.code ?? 0;
    if (r.exitCode !== expected) failures.push(`${d.where}: ${cmd}\n  exit ${r.exitCode} (expected ${expected})\n  ${`${r.stderr}`.trim().split('\n').join('\n  ')}`);
  }
  return failures;
}

const docs = ['README.md', ...(await readdir(join(repoRoot, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const documents = await Promise.all(docs.map(async (f) => ({ name: f, commands: markdownCommands(f, await readFile(join(repoRoot, f), 'utf8')) })));
const helps = helpTexts().map(({ name, text }) => ({ name, commands: helpCommands(name, text) })).filter((h) => h.commands.length);

describe('every documented command', () => {
  it('is found: the README, docs/ and --help examples show pm commands', () => {
    expect(documents.find((d) => d.name === 'README.md')!.commands.length).toBeGreaterThan(3);
    expect(helps.map((h) => h.name)).toEqual(expect.arrayContaining(['pm', 'plugin-create', 'prompt-render']));
  });

  it('stands alone: README and docs/ name only docs/ pages that exist, and no DESIGN.md', async () => {
    const pages = new Set((await readdir(join(repoRoot, 'docs'))));
    const problems: string[] = [];
    for (const f of docs) {
      const text = await readFile(join(repoRoot, f), 'utf8');
      if (/DESIGN/.test(text)) problems.push(`${f} refers to DESIGN`);
      for (const m of text.matchAll(/\b([a-z-]+\.md)\b/g)) if (m[1] !== 'README.md' && !pages.has(m[1])) problems.push(`${f} names ${m[1]}`);
    }
    expect(problems).toEqual([]);
  });

  it('skips only commands that are still documented (no stale skip or exit entries)', () => {
    const shown = new Set([...documents, ...helps].flatMap((d) => d.commands.map((c) => bare(c.command))));
    expect([...Object.keys(SKIP), ...Object.keys(EXPECTED_EXIT)].filter((c) => !shown.has(c))).toEqual([]);
  });

  it.concurrent.each(documents.filter((d) => d.commands.length).map((d) => [d.name, d] as const))('in %s runs as shown', async (_, d) => {
    expect((await runAll(d.name, d.commands)).join('\n\n')).toBe('');
  }, 240_000);

  it.concurrent.each(helps.map((h) => [h.name, h] as const))('in the help of %s runs as shown', async (_, h) => {
    expect((await runAll(`help-${h.name}`, h.commands, HELP_SETUP[h.name])).join('\n\n')).toBe('');
  }, 240_000);
});
