/** Reads a server's lists, every page, asking only for what its capabilities announce. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerCatalog, ServerListKind } from './types.js';

/** More pages than this is a server that never stops paging (a cursor loop); the read fails. */
const MAX_PAGES = 1000;

async function allPages<T>(what: string, page: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const r = await page(cursor);
    out.push(...r.items);
    if (!r.nextCursor) return out;
    cursor = r.nextCursor;
  }
  throw new Error(`${what} returned more than ${MAX_PAGES} pages`);
}

/** Which parts of the catalog a kind of list covers (resources include the templates). */
export const ALL_KINDS: ServerListKind[] = ['tools', 'resources', 'prompts'];

/** Reads the lists of `kinds` (the others are copied from `previous`). */
export async function readCatalog(client: Client, kinds: Iterable<ServerListKind>, options: RequestOptions, previous?: ServerCatalog): Promise<ServerCatalog> {
  const caps = client.getServerCapabilities() ?? {};
  const want = new Set(kinds);
  const cat: ServerCatalog = previous ? { ...previous } : { tools: [], resources: [], resourceTemplates: [], prompts: [] };
  if (want.has('tools')) {
    cat.tools = caps.tools ? await allPages('tools/list', async (cursor) => {
      const r = await client.listTools(cursor ? { cursor } : undefined, options);
      return { items: r.tools, nextCursor: r.nextCursor };
    }) : [];
  }
  if (want.has('resources')) {
    cat.resources = caps.resources ? await allPages('resources/list', async (cursor) => {
      const r = await client.listResources(cursor ? { cursor } : undefined, options);
      return { items: r.resources, nextCursor: r.nextCursor };
    }) : [];
    cat.resourceTemplates = caps.resources ? await allPages('resources/templates/list', async (cursor) => {
      const r = await client.listResourceTemplates(cursor ? { cursor } : undefined, options);
      return { items: r.resourceTemplates, nextCursor: r.nextCursor };
    }) : [];
  }
  if (want.has('prompts')) {
    cat.prompts = caps.prompts ? await allPages('prompts/list', async (cursor) => {
      const r = await client.listPrompts(cursor ? { cursor } : undefined, options);
      return { items: r.prompts, nextCursor: r.nextCursor };
    }) : [];
  }
  return cat;
}
