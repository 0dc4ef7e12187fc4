import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../../../src/core/manifest/ajv.js';
import type {
  Contributes, Engines, FsPermissions, HookContribution, HookMatch, Manifest, Permissions, PromptArgument,
  PromptContribution, PromptMessage, ResourceContribution, ToolAnnotations, ToolContribution,
} from '../../../../src/core/manifest/types.js';
import { validateManifest } from '../../../../src/core/manifest/validate.js';

// Compile-time half: each object must list exactly the keys of its type (satisfies refuses
// a missing key and an extra one). Run-time half: the schema's properties equal those keys.
type Keys<T> = Record<keyof T, true>;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Req<T> = Record<RequiredKeys<T>, true>;

const shapes = {
  '': {
    keys: { $schema: true, name: true, version: true, description: true, author: true, license: true, main: true, server: true, source: true, engines: true, dependencies: true, categories: true, tags: true, contributes: true, permissions: true, config: true } satisfies Keys<Manifest>,
    required: { name: true, version: true, description: true } satisfies Req<Manifest>,
  },
  'properties/engines': { keys: { pm: true, node: true } satisfies Keys<Engines>, required: {} satisfies Req<Engines> },
  'properties/contributes': { keys: { tools: true, resources: true, prompts: true, hooks: true, events: true } satisfies Keys<Contributes>, required: {} satisfies Req<Contributes> },
  'properties/permissions': {
    keys: { fs: true, network: true, env: true, childProcess: true, worker: true, addons: true, memoryMb: true } satisfies Keys<Permissions>,
    required: {} satisfies Req<Permissions>,
  },
  'properties/permissions/properties/fs': { keys: { read: true, write: true } satisfies Keys<FsPermissions>, required: {} satisfies Req<FsPermissions> },
  '$defs/tool': {
    keys: { name: true, title: true, description: true, inputSchema: true, outputSchema: true, annotations: true, timeoutMs: true } satisfies Keys<ToolContribution>,
    required: { name: true, description: true, inputSchema: true } satisfies Req<ToolContribution>,
  },
  '$defs/tool/properties/annotations': {
    keys: { title: true, readOnlyHint: true, destructiveHint: true, idempotentHint: true, openWorldHint: true } satisfies Keys<ToolAnnotations>,
    required: {} satisfies Req<ToolAnnotations>,
  },
  '$defs/resource': {
    keys: { uri: true, name: true, description: true, mimeType: true } satisfies Keys<ResourceContribution>,
    required: { uri: true, name: true, mimeType: true } satisfies Req<ResourceContribution>,
  },
  '$defs/prompt': {
    keys: { name: true, description: true, arguments: true, messages: true } satisfies Keys<PromptContribution>,
    required: { name: true, messages: true } satisfies Req<PromptContribution>,
  },
  '$defs/prompt/properties/arguments/items': {
    keys: { name: true, description: true, required: true } satisfies Keys<PromptArgument>,
    required: { name: true } satisfies Req<PromptArgument>,
  },
  '$defs/prompt/properties/messages/items': {
    keys: { role: true, template: true } satisfies Keys<PromptMessage>,
    required: { role: true, template: true } satisfies Req<PromptMessage>,
  },
  '$defs/hook': {
    keys: { event: true, priority: true, match: true, timeoutMs: true, failOpen: true } satisfies Keys<HookContribution>,
    required: { event: true } satisfies Req<HookContribution>,
  },
  '$defs/hook/properties/match': { keys: { tool: true } satisfies Keys<HookMatch>, required: {} satisfies Req<HookMatch> },
};

function node(pointer: string): Record<string, unknown> {
  let n: unknown = manifestSchema();
  for (const seg of pointer.split('/').filter(Boolean)) n = (n as Record<string, unknown>)[seg];
  return n as Record<string, unknown>;
}

/** The DESIGN §2 example, typed: it must compile as a Manifest and validate. */
const designExample = {
  name: 'notes',
  version: '1.2.0',
  description: 'Keep notes',
  author: 'Ada <ada@example.org>',
  license: 'MIT',
  main: 'index.js',
  engines: { pm: '^1.0.0', node: '>=20' },
  dependencies: { storage: '^2.0.0' },
  categories: ['workflow'],
  tags: ['notes'],
  contributes: {
    tools: [{ name: 'add', description: 'Add a note', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }, annotations: { readOnlyHint: false } }],
    resources: [{ uri: 'notes://{id}', name: 'note', mimeType: 'text/markdown' }],
    prompts: [{ name: 'summarize', description: '...', arguments: [{ name: 'topic', required: true }], messages: [{ role: 'system', template: 'prompts/summarize.system.hbs' }, { role: 'user', template: 'prompts/summarize.user.hbs' }] }],
    hooks: [{ event: 'tool:before-call', priority: 10, match: { tool: 'notes.*' } }],
    events: ['notes:created'],
  },
  permissions: { fs: { read: ['$DATA'], write: ['$DATA'] }, network: ['api.example.org'], env: ['NOTES_TOKEN'], childProcess: false },
  config: { type: 'object', properties: { maxNotes: { type: 'integer', default: 100 } } },
} satisfies Manifest;

describe('Manifest types and plugin.schema.json', () => {
  it.each(Object.entries(shapes))('agree on the properties and required fields at %s', (pointer, { keys, required }) => {
    const n = node(pointer);
    expect(Object.keys(n.properties as object).sort()).toEqual(Object.keys(keys).sort());
    expect(((n.required as string[] | undefined) ?? []).slice().sort()).toEqual(Object.keys(required).sort());
  });

  it('accept the DESIGN §2 example typed as a Manifest, with no findings', async () => {
    expect(await validateManifest(designExample)).toEqual([]);
  });

  it('is a draft 2020-12 schema whose $id is the SCHEMA_URL plugin-create writes', async () => {
    const { SCHEMA_URL } = await import('../../../../src/core/manifest/schema-url.js');
    expect(manifestSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(manifestSchema().$id).toBe(SCHEMA_URL);
  });
});
