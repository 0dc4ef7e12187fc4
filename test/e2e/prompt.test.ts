// pm prompt-list and pm prompt-render through the real bin, on a PM_HOME whose plugins were
// installed with pm plugin-install.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { servePluginsDir } from '../helpers/serve.js';

const tmp = await tempDir('pm-prompt-');
const home = join(tmp.dir, 'home');
const run = (args: string[]) => pm([...args, '--home', home]);
beforeAll(async () => {
  for (const name of ['greeter', 'echo']) {
    const r = await run(['plugin-install', join(servePluginsDir, name)]);
    expect(r.exitCode, r.stderr).toBe(0);
  }
});
afterAll(() => tmp.cleanup());

describe('pm prompt-list', () => {
  it('lists every enabled plugin prompt with its arguments', async () => {
    const r = await run(['prompt-list']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('greeter.summarize topic [style]  Summarize a topic');
  });

  it('gives a stable JSON shape under --json', async () => {
    const { prompts } = JSON.parse((await run(['prompt-list', '--json'])).stdout);
    expect(prompts[0]).toEqual({
      id: 'greeter.summarize',
      plugin: 'greeter',
      name: 'summarize',
      description: 'Summarize a topic',
      arguments: [{ name: 'topic', description: 'what to summarize', required: true }, { name: 'style', description: 'how to write it', required: false }],
      roles: ['system', 'user'],
    });
  });

  it('skips, with a warning on stderr, an enabled plugin whose files are gone, and lists the rest', async () => {
    const dir = join(home, 'plugins', 'echo');
    await rename(join(dir, 'plugin.json'), join(tmp.dir, 'echo-plugin.json'));
    try {
      const r = await run(['prompt-list']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain(`warning: skipping plugin echo: ${join(dir, 'plugin.json')} does not exist`);
      expect(r.stdout).toContain('greeter.summarize');
    } finally {
      await rename(join(tmp.dir, 'echo-plugin.json'), join(dir, 'plugin.json'));
    }
  });

  it('leaves out disabled plugins', async () => {
    expect((await run(['plugin-disable', 'greeter'])).exitCode).toBe(0);
    try {
      const r = await run(['prompt-list']);
      expect(r.stdout).toBe('No prompts: enabled plugins contribute none.\n'.trimEnd());
    } finally {
      expect((await run(['plugin-enable', 'greeter'])).exitCode).toBe(0);
    }
  });
});

describe('pm prompt-render', () => {
  it('renders text with each message under its role', async () => {
    const r = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic=a=b', '--arg', 'style=short']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('[system]\nYou write short summaries. Keep <tags> & quotes " as they are.\n\n[user]\nSummarize a=b.');
  });

  it('renders the OpenAI chat messages array', async () => {
    const r = await run(['prompt-render', 'greeter.dialogue', '--arg', 'name=Ada', '--format', 'openai']);
    expect(JSON.parse(r.stdout)).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada!' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('renders Anthropic { system, messages }', async () => {
    const r = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic=MCP', '--format', 'anthropic']);
    expect(JSON.parse(r.stdout)).toEqual({
      system: 'You write plain summaries. Keep <tags> & quotes " as they are.',
      messages: [{ role: 'user', content: 'Summarize MCP.' }],
    });
  });

  it('wraps the output with id and format under --json', async () => {
    const r = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic=MCP', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ id: 'greeter.summarize', format: 'text', output: '[system]\nYou write plain summaries. Keep <tags> & quotes " as they are.\n\n[user]\nSummarize MCP.' });
  });

  it('renders a prompt named as MCP clients show it (greeter__summarize), reporting the <plugin>.<prompt> id', async () => {
    const r = await run(['prompt-render', 'greeter__summarize', '--arg', 'topic=MCP', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'greeter.summarize', format: 'text' });
  });

  it.each([
    ['greeter.two-systems', 'it has 2 system messages and the API takes one'],
    ['greeter.assistant-first', "the first message after the system prompt is from 'assistant', and it must be from 'user'"],
    ['greeter.user-twice', "messages 1 and 2 are both from 'user', and roles must alternate"],
  ])('refuses %s for Anthropic with exit 2 and says why', async (id, reason) => {
    const r = await run(['prompt-render', id, '--format', 'anthropic']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: prompt ${id} cannot be given to the Anthropic Messages API: ${reason}`);
    expect(r.stderr).toContain('hint: ');
  });

  it('refuses a missing required argument with exit 2, naming it', async () => {
    const r = await run(['prompt-render', 'greeter.summarize']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: prompt greeter.summarize needs the argument 'topic' (what to summarize)");
    expect(r.stderr).toContain('hint: give \'topic\' a value, e.g. --arg topic=…');
  });

  it('refuses an unknown argument, an --arg without =, an unknown format and an unknown prompt', async () => {
    const unknownArg = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic=x', '--arg', 'tone=dry']);
    expect([unknownArg.exitCode, unknownArg.stderr]).toEqual([2, expect.stringContaining("has no argument 'tone'")]);
    const noEq = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic']);
    expect([noEq.exitCode, noEq.stderr]).toEqual([2, expect.stringContaining("--arg 'topic' is not key=value")]);
    const fmt = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic=x', '--format', 'xml']);
    expect([fmt.exitCode, fmt.stderr]).toEqual([2, expect.stringContaining("unknown format 'xml'")]);
    const none = await run(['prompt-render', 'greeter.nope']);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('error: no enabled plugin has the prompt greeter.nope');
    expect(none.stderr).toContain('hint: greeter has: greeter.summarize, greeter.two-systems');
    const bad = await run(['prompt-render', 'summarize']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringContaining("'summarize' is not a prompt name")]);
  });

  it('renders from the installed copy of the plugin, not from where it was installed from', async () => {
    const file = join(home, 'plugins', 'greeter', 'prompts', 'summarize.user.hbs');
    const before = await readFile(file, 'utf8');
    await writeFile(file, 'Installed copy: {{topic}}\n');
    try {
      const r = await run(['prompt-render', 'greeter.summarize', '--arg', 'topic=MCP', '--format', 'openai']);
      expect(JSON.parse(r.stdout)[1]).toEqual({ role: 'user', content: 'Installed copy: MCP' });
    } finally {
      await writeFile(file, before);
    }
  });
});
