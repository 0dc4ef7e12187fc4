import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatFinding } from '../../../../src/core/manifest/format.js';
import { validateManifest } from '../../../../src/core/manifest/validate.js';
import { PM_VERSION } from '../../../../src/core/manifest/check-versions.js';
import { tempDir } from '../../../helpers/pm.js';

const major = Number(PM_VERSION.split('.')[0]);

type M = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const minimal = (): M => ({
  name: 'notes',
  version: '1.2.0',
  description: 'Keep notes',
  main: 'index.js',
  contributes: { tools: [{ name: 'add', description: 'Add a note', inputSchema: { type: 'object' } }] },
});

async function lines(m: unknown, opts: { dir?: string; strict?: boolean } = {}): Promise<string[]> {
  return (await validateManifest(m, opts)).map((f) => `${f.severity} ${formatFinding(f)}`);
}

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('validateManifest', () => {
  it('accepts a minimal manifest with no findings', async () => {
    expect(await lines(minimal())).toEqual([]);
  });

  it('accepts failOpen on a guard hook without an unknown-field warning', async () => {
    const m = minimal();
    m.contributes.hooks = [{ event: 'tool:before-call', failOpen: true }];
    expect(await lines(m)).toEqual([]);
  });

  it('reports every problem at once, each with its JSON path', async () => {
    const m = minimal();
    m.name = 'Notes';
    m.version = 'one';
    delete m.description;
    m.contributes.tools[0].name = 'Add';
    expect(await lines(m)).toEqual([
      'error description: is required — say in one line what the plugin does',
      'error name: must match ^[a-z][a-z0-9-]{0,49}$ — plugin names are lowercase letters, digits and -, start with a letter, at most 50 characters',
      'error contributes.tools[0].name: must match ^[a-z][a-z0-9_-]*$ — tool names are lowercase letters, digits, _ and -',
      'error version: "one" is not a valid semver version — use MAJOR.MINOR.PATCH, e.g. 1.2.0 (optionally with -prerelease)',
    ]);
  });

  it('refuses a manifest that is not an object', async () => {
    expect(await lines([1])).toEqual(['error (root): must be an object']);
  });

  // One breaking manifest per schema rule, with the exact line plugin-validate prints.
  const schemaRules: [string, (m: M) => void, string][] = [
    ['a missing version', (m) => delete m.version, 'error version: is required — use a semver version such as 1.2.0'],
    ['a name with capitals', (m) => (m.name = 'My-Notes'), 'error name: must match ^[a-z][a-z0-9-]{0,49}$ — plugin names are lowercase letters, digits and -, start with a letter, at most 50 characters'],
    ['a name of 51 characters', (m) => (m.name = 'a'.repeat(51)), 'error name: must match ^[a-z][a-z0-9-]{0,49}$ — plugin names are lowercase letters, digits and -, start with a letter, at most 50 characters'],
    ['an empty description', (m) => (m.description = ''), 'error description: must not be empty — say in one line what the plugin does'],
    ['a version that is a number', (m) => (m.version = 1), 'error version: must be a string — use a semver version such as 1.2.0'],
    ['main that is not a string', (m) => (m.main = ['index.js']), 'error main: must be a string — give the entry module\'s path relative to the plugin folder, e.g. index.js'],
    ['a tool name with a dot', (m) => (m.contributes.tools[0].name = 'notes.add'), 'error contributes.tools[0].name: must match ^[a-z][a-z0-9_-]*$ — tool names are lowercase letters, digits, _ and -'],
    ['a tool without a description', (m) => delete m.contributes.tools[0].description, 'error contributes.tools[0].description: is required — say what the tool does; the model reads it'],
    ['a tool without inputSchema', (m) => delete m.contributes.tools[0].inputSchema, 'error contributes.tools[0].inputSchema: is required — give a JSON Schema with "type": "object" describing the arguments'],
    ['an inputSchema that is not an object schema', (m) => (m.contributes.tools[0].inputSchema = { type: 'string' }), 'error contributes.tools[0].inputSchema.type: must be "object" — MCP tool schemas describe an object of arguments: "type": "object"'],
    ['a zero per-tool timeout', (m) => (m.contributes.tools[0].timeoutMs = 0), 'error contributes.tools[0].timeoutMs: must be >= 1 — a per-call timeout in milliseconds, 1 to 3600000'],
    ['an annotation that is not a boolean', (m) => (m.contributes.tools[0].annotations = { readOnlyHint: 'yes' }), 'error contributes.tools[0].annotations.readOnlyHint: must be true or false'],
    ['a resource without a scheme', (m) => (m.contributes.resources = [{ uri: '{id}', name: 'note', mimeType: 'text/markdown' }]), 'error contributes.resources[0].uri: must match ^[A-Za-z][A-Za-z0-9+.-]*: — give a URI or URI template with a scheme, e.g. notes://{id}'],
    ['a resource without mimeType', (m) => (m.contributes.resources = [{ uri: 'notes://{id}', name: 'note' }]), 'error contributes.resources[0].mimeType: is required — give a media type such as text/markdown'],
    ['a prompt message with an unknown role', (m) => (m.contributes.prompts = [{ name: 'sum', messages: [{ role: 'tool', template: 't.hbs' }] }]), 'error contributes.prompts[0].messages[0].role: must be one of system, user, assistant — a message role is system, user or assistant'],
    ['a prompt without messages', (m) => (m.contributes.prompts = [{ name: 'sum', messages: [] }]), 'error contributes.prompts[0].messages: must have at least 1 item'],
    ['a prompt argument name with a dash', (m) => (m.contributes.prompts = [{ name: 'sum', arguments: [{ name: 'my-topic' }], messages: [{ role: 'user', template: 't.hbs' }] }]), 'error contributes.prompts[0].arguments[0].name: must match ^[A-Za-z_][A-Za-z0-9_]*$ — argument names are letters, digits and _ (they are Handlebars variables)'],
    ['a hook priority that is not an integer', (m) => (m.contributes.hooks = [{ event: 'tool:before-call', priority: 1.5 }]), 'error contributes.hooks[0].priority: must be an integer — priority is an integer from -1000 to 1000; lower runs first (default 10)'],
    ['a hook failOpen that is not a boolean', (m) => (m.contributes.hooks = [{ event: 'tool:before-call', failOpen: 'yes' }]), 'error contributes.hooks[0].failOpen: must be true or false — set "failOpen": true to let calls through when this guard fails, or leave it out to deny them'],
    ['a custom event with a capital', (m) => (m.contributes.events = ['notes:Created']), 'error contributes.events[0]: must match ^[a-z][a-z0-9-]{0,49}:[a-z][a-z0-9-]*$ — custom events are <plugin-name>:<event>, lowercase letters, digits and -'],
    ['a repeated tag', (m) => (m.tags = ['a', 'a']), 'error tags: must not repeat items ([0] and [1] are the same) — remove the duplicate'],
    ['a dependency with an invalid name', (m) => (m.dependencies = { Storage: '^1.0.0' }), 'error dependencies.Storage: name must match ^[a-z][a-z0-9-]{0,49}$ — dependencies are plugin names'],
    ['a network entry with a scheme', (m) => (m.permissions = { network: ['https://api.example.org'] }), 'error permissions.network[0]: must match ^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[0-9]{1,5})?$ — give a host name, optionally *.-prefixed or with :port, e.g. api.example.org'],
    ['an env name with a dash', (m) => (m.permissions = { env: ['MY-TOKEN'] }), 'error permissions.env[0]: must match ^[A-Za-z_][A-Za-z0-9_]*$ — environment variable names are letters, digits and _'],
    ['childProcess given as a string', (m) => (m.permissions = { childProcess: 'yes' }), 'error permissions.childProcess: must be true or false'],
    ['a tiny memory cap', (m) => (m.permissions = { memoryMb: 1 }), 'error permissions.memoryMb: must be >= 16'],
    ['config that is not an object', (m) => (m.config = 'maxNotes'), 'error config: must be an object — give a JSON Schema object, e.g. { "type": "object", "properties": { … } }'],
  ];
  it.each(schemaRules)('reports %s', async (_title, breakIt, expected) => {
    const m = minimal();
    breakIt(m);
    expect(await lines(m)).toEqual([expected]);
  });

  // One breaking manifest per rule beyond the schema.
  const semanticRules: [string, (m: M) => void, string][] = [
    ['a version that is not semver', (m) => (m.version = '1.2'), 'error version: "1.2" is not a valid semver version — use MAJOR.MINOR.PATCH, e.g. 1.2.0 (optionally with -prerelease)'],
    ['a version with a v prefix', (m) => (m.version = 'v1.2.0'), 'error version: "v1.2.0" is not written in canonical semver form — write it as 1.2.0'],
    ['an invalid engines range', (m) => (m.engines = { pm: '^1.x.y' }), 'error engines.pm: "^1.x.y" is not a valid semver range — use a range such as ^1.0.0, >=20 or 1.x; * means any version'],
    ['an invalid dependency range', (m) => (m.dependencies = { storage: 'latest' }), 'error dependencies.storage: "latest" is not a valid semver range — use a range such as ^1.0.0, >=20 or 1.x; * means any version'],
    ['a plugin that depends on itself', (m) => (m.dependencies = { notes: '^1.0.0' }), 'error dependencies.notes: a plugin cannot depend on itself — remove "notes" from dependencies'],
    ['an inputSchema that does not compile', (m) => (m.contributes.tools[0].inputSchema = { type: 'object', properties: { text: { type: 'strnig' } } }), 'error contributes.tools[0].inputSchema: is not a valid JSON Schema: properties.text.type must be equal to one of the allowed values — fix the schema (JSON Schema draft 2020-12; https://json-schema.org/understanding-json-schema/ lists the keywords)'],
    ['an inputSchema with an unresolvable $ref', (m) => (m.contributes.tools[0].inputSchema = { type: 'object', properties: { a: { $ref: '#/$defs/nope' } } }), 'error contributes.tools[0].inputSchema: does not compile as JSON Schema: can\'t resolve reference #/$defs/nope from id # — fix the schema (JSON Schema draft 2020-12; https://json-schema.org/understanding-json-schema/ lists the keywords)'],
    ['a config schema that does not compile', (m) => (m.config = { type: 'object', required: 'maxNotes' }), 'error config: is not a valid JSON Schema: required must be array — fix the schema (JSON Schema draft 2020-12; https://json-schema.org/understanding-json-schema/ lists the keywords)'],
    ['a wire name over 64 characters', (m) => { m.name = 'a'.repeat(40); m.contributes.tools[0].name = 'b'.repeat(23); }, `error contributes.tools[0].name: "${'a'.repeat(40)}__${'b'.repeat(23)}" is 65 characters; MCP clients accept tool names of at most 64 — shorten the tool or plugin name by 1 characters`],
    ['two tools with one name', (m) => m.contributes.tools.push({ name: 'add', description: 'again', inputSchema: { type: 'object' } }), 'error contributes.tools[1].name: duplicates contributes.tools[0]: two tools named "add" — give each tool a distinct name'],
    ['two prompts with one name', (m) => (m.contributes.prompts = [{ name: 'sum', messages: [{ role: 'user', template: 'a.hbs' }] }, { name: 'sum', messages: [{ role: 'user', template: 'b.hbs' }] }]), 'error contributes.prompts[1].name: duplicates contributes.prompts[0]: two prompts named "sum" — give each prompt a distinct name'],
    ['two resources with one URI', (m) => (m.contributes.resources = [{ uri: 'notes://{id}', name: 'a', mimeType: 'text/plain' }, { uri: 'notes://{id}', name: 'b', mimeType: 'text/plain' }]), 'error contributes.resources[1].uri: duplicates contributes.resources[0]: two resources named "notes://{id}" — give each resource a distinct uri'],
    ['tools without main', (m) => delete m.main, 'error main: is required: the plugin contributes tools, which its entry module implements — add "main": "index.js" (or the path of your built entry)'],
    ['a template outside the folder', (m) => (m.contributes.prompts = [{ name: 'sum', messages: [{ role: 'user', template: '../secret.hbs' }] }]), 'error contributes.prompts[0].messages[0].template: "../secret.hbs" is outside the plugin folder — give a path relative to the plugin folder without .., e.g. prompts/summarize.user.hbs'],
    ['an absolute template path', (m) => (m.contributes.prompts = [{ name: 'sum', messages: [{ role: 'user', template: '/etc/passwd' }] }]), 'error contributes.prompts[0].messages[0].template: "/etc/passwd" is outside the plugin folder — give a path relative to the plugin folder without .., e.g. prompts/summarize.user.hbs'],
    ['a relative fs permission', (m) => (m.permissions = { fs: { read: ['data'] } }), 'error permissions.fs.read[0]: "data" is relative — use $DATA (the plugin\'s data folder), $DATA/<sub>, an absolute path or ~/<path>, without ..'],
    ['an fs permission with ..', (m) => (m.permissions = { fs: { write: ['$DATA/../other'] } }), 'error permissions.fs.write[0]: "$DATA/../other" contains .. — use $DATA (the plugin\'s data folder), $DATA/<sub>, an absolute path or ~/<path>, without ..'],
    ['an empty fs permission', (m) => (m.permissions = { fs: { read: [''] } }), 'error permissions.fs.read[0]: "" is empty — use $DATA (the plugin\'s data folder), $DATA/<sub>, an absolute path or ~/<path>, without ..'],
    ['an unknown variable in an fs permission', (m) => (m.permissions = { fs: { read: ['$HOME/notes'] } }), 'error permissions.fs.read[0]: "$HOME/notes" uses an unknown variable (only $DATA is defined) — use $DATA (the plugin\'s data folder), $DATA/<sub>, an absolute path or ~/<path>, without ..'],
    ['write access to the whole home folder', (m) => (m.permissions = { fs: { write: ['~'] } }), 'warning permissions.fs.write[0]: "~" grants write access to the whole home folder — ask for the narrowest folder the plugin needs, e.g. $DATA'],
    ['a hook on a misspelt built-in event', (m) => (m.contributes.hooks = [{ event: 'tool:before-cal' }]), 'error contributes.hooks[0].event: "tool:before-cal" is not a known event; did you mean "tool:before-call"? — use a built-in event (tool:before-call, tool:after-call, prompt:before-render, prompt:after-render, resource:after-read, plugin:installed, plugin:enabled, plugin:disabled, plugin:uninstalled, server:started, server:stopping) or one declared in contributes.events'],
    ['a hook on an own event that is not declared', (m) => (m.contributes.hooks = [{ event: 'notes:deleted' }]), 'error contributes.hooks[0].event: "notes:deleted" is not declared in contributes.events — add "notes:deleted" to contributes.events'],
    ['a hook on another plugin\'s event without depending on it', (m) => (m.contributes.hooks = [{ event: 'storage:saved' }]), 'error contributes.hooks[0].event: "storage:saved" is not a known event — add "storage" to dependencies to hook its events'],
    ['an event declared under another plugin\'s name', (m) => (m.contributes.events = ['storage:saved']), 'error contributes.events[0]: "storage:saved" must start with this plugin\'s name — rename it notes:saved'],
    ['a declared event that shadows a built-in', (m) => { m.name = 'tool'; m.contributes.events = ['tool:before-call']; }, 'error contributes.events[0]: "tool:before-call" is a built-in event; a plugin cannot declare it — remove it, or name it tool:<event>'],
    ['match.tool on an event that is not about tools', (m) => (m.contributes.hooks = [{ event: 'server:started', match: { tool: 'notes.*' } }]), 'warning contributes.hooks[0].match.tool: match.tool has no effect on "server:started" — match.tool filters tool:before-call and tool:after-call; remove it here'],
    ['engines.pm that excludes this pm', (m) => (m.engines = { pm: `^${major + 1}.0.0` }), `warning engines.pm: "^${major + 1}.0.0" does not include this pm (${PM_VERSION}): it will refuse to install the plugin — widen the range (e.g. ^${major}.0.0) or use a pm it includes`],
    ['match.tool without a plugin part', (m) => (m.contributes.hooks = [{ event: 'tool:before-call', match: { tool: 'add' } }]), 'warning contributes.hooks[0].match.tool: "add" matches no tool: tools are named <plugin>.<tool> — use "notes.add" for this plugin\'s tool, or "*.add" for any plugin\'s'],
    ['two prompt arguments with one name', (m) => (m.contributes.prompts = [{ name: 'sum', arguments: [{ name: 'topic' }, { name: 'topic' }], messages: [{ role: 'user', template: 'a.hbs' }] }]), 'error contributes.prompts[0].arguments[1].name: duplicates contributes.prompts[0].arguments[0]: two arguments named "topic" — give each argument a distinct name'],
  ];
  it.each(semanticRules)('reports %s', async (_title, breakIt, expected) => {
    const m = minimal();
    breakIt(m);
    expect(await lines(m)).toEqual([expected]);
  });

  it('accepts hooks on built-in, own declared and dependencies\' events', async () => {
    const m = minimal();
    m.dependencies = { storage: '^2.0.0' };
    m.contributes.events = ['notes:created'];
    m.contributes.hooks = [{ event: 'tool:after-call' }, { event: 'notes:created' }, { event: 'storage:saved' }];
    m.permissions = { fs: { read: ['$DATA', '$DATA/cache', '/srv/notes', '~/notes'], write: ['$DATA'] } };
    expect(await lines(m)).toEqual([]);
  });

  it('warns about read access to the whole home folder', async () => {
    const m = minimal();
    m.permissions = { fs: { read: ['~'] } };
    expect(await lines(m)).toEqual(['warning permissions.fs.read[0]: "~" grants read access to the whole home folder — ask for the narrowest folder the plugin needs, e.g. $DATA']);
  });

  it('compiles tool schemas that reuse one $id, in one manifest and across manifests', async () => {
    const m = minimal();
    const schema = { $id: 'https://example.org/args.json', type: 'object' };
    m.contributes.tools = [
      { name: 'a', description: 'a', inputSchema: { ...schema } },
      { name: 'b', description: 'b', inputSchema: { ...schema, properties: { x: { type: 'string' } } } },
    ];
    expect(await lines(m)).toEqual([]);
    expect(await lines(m)).toEqual([]);
  });

  it('accepts a wire name of exactly 64 characters', async () => {
    const m = minimal();
    m.name = 'a'.repeat(40);
    m.contributes.tools[0].name = 'b'.repeat(22);
    expect(await lines(m)).toEqual([]);
  });
});

describe('validateManifest: unknown fields', () => {
  it('warns with a did-you-mean at every level', async () => {
    const m = minimal();
    m.licence = 'MIT';
    m.contributes.tools[0].descripton = 'typo';
    m.contributes.tools[0].annotations = { readonlyHint: true };
    m.permissions = { childprocess: false, fs: { reed: [] } };
    expect(await lines(m)).toEqual([
      'warning contributes.tools[0].descripton: is not a known field; did you mean "description"? — rename it to "description"',
      'warning contributes.tools[0].annotations.readonlyHint: is not a known field; did you mean "readOnlyHint"? — rename it to "readOnlyHint"',
      'warning licence: is not a known field; did you mean "license"? — rename it to "license"',
      'warning permissions.childprocess: is not a known field; did you mean "childProcess"? — rename it to "childProcess"',
      'warning permissions.fs.reed: is not a known field; did you mean "read"? — rename it to "read"',
    ]);
  });

  it('lists the known fields when nothing is close', async () => {
    const m = minimal();
    m.contributes.widgets = [];
    expect(await lines(m)).toEqual(['error contributes.widgets: is not a kind of contribution — remove it; contributions are: tools, resources, prompts, hooks, events']);
  });

  it('a-typo-cannot-hide-a-plugin: an unknown key inside contributes is an error with a did-you-mean, not a warning', async () => {
    const m = minimal();
    m.contributes.tool = m.contributes.tools;
    delete m.contributes.tools;
    expect(await lines(m)).toEqual(['error contributes.tool: is not a kind of contribution; did you mean "tools"? — rename it to "tools"']);
  });

  it('become errors under strict', async () => {
    const m = minimal();
    m.licence = 'MIT';
    expect(await lines(m, { strict: true })).toEqual(['error licence: is not a known field; did you mean "license"? — rename it to "license"']);
  });

  it('are not reported inside embedded JSON Schemas (inputSchema, config)', async () => {
    const m = minimal();
    m.contributes.tools[0].inputSchema = { type: 'object', properties: { a: { type: 'string', 'x-widget': 'textarea' } }, additionalProperties: false };
    m.config = { type: 'object', title: 'Settings', properties: {} };
    expect(await lines(m)).toEqual([]);
  });

  it('allows $schema at the top level', async () => {
    expect(await lines({ $schema: 'https://unpkg.com/pmkit/dist/core/manifest/plugin.schema.json', ...minimal() })).toEqual([]);
  });
});

describe('validateManifest: prompt templates (with a folder)', () => {
  const withPrompt = (template: string): M => {
    const m = minimal();
    m.contributes.prompts = [{ name: 'sum', arguments: [{ name: 'topic' }], messages: [{ role: 'user', template }] }];
    return m;
  };

  it('accepts a template that exists and compiles', async () => {
    const dir = join(tmp.dir, 'ok');
    await mkdir(join(dir, 'prompts'), { recursive: true });
    await writeFile(join(dir, 'prompts', 'sum.hbs'), 'Summarize {{topic}}{{#if more}} and more{{/if}}.');
    expect(await lines(withPrompt('prompts/sum.hbs'), { dir })).toEqual([]);
  });

  it('reports a template that does not exist', async () => {
    const dir = join(tmp.dir, 'missing');
    await mkdir(dir, { recursive: true });
    expect(await lines(withPrompt('prompts/sum.hbs'), { dir })).toEqual([
      'error contributes.prompts[0].messages[0].template: "prompts/sum.hbs" does not exist — create prompts/sum.hbs in the plugin folder, or fix the path',
    ]);
  });

  it('reports a template that does not compile with Handlebars', async () => {
    const dir = join(tmp.dir, 'broken');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'sum.hbs'), 'Summarize {{#if topic}}{{topic}}');
    const [line, ...rest] = await lines(withPrompt('sum.hbs'), { dir });
    expect(rest).toEqual([]);
    expect(line).toMatch(/^error contributes\.prompts\[0\]\.messages\[0\]\.template: "sum\.hbs" does not compile: Parse error on line 1: .* — fix the Handlebars syntax \(every \{\{#block\}\} needs its \{\{\/block\}\}\)$/);
  });

  it('reports a template that links outside the folder', async () => {
    const dir = join(tmp.dir, 'link');
    await mkdir(dir, { recursive: true });
    await writeFile(join(tmp.dir, 'outside.hbs'), 'secret');
    await symlink(join(tmp.dir, 'outside.hbs'), join(dir, 'sum.hbs'));
    expect(await lines(withPrompt('sum.hbs'), { dir })).toEqual([
      'error contributes.prompts[0].messages[0].template: "sum.hbs" is outside the plugin folder — give a path relative to the plugin folder without .., e.g. prompts/summarize.user.hbs',
    ]);
  });
});
