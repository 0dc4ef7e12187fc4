/** How the host matches a module plugin's resource templates and shapes what its handlers return. */
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';

/** A `scheme://{key}/…` template as a regex with one group per `{key}` (a segment each). */
export function templateRegex(template: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  let src = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    src += template.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '([^/]+)';
    keys.push(m[1]!);
    last = m.index! + m[0].length;
  }
  src += template.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
  return { re: new RegExp(src), keys };
}

/** A resource handler's return value (string, { text }, { blob } or a full result) as a ReadResourceResult. */
export function normalizeResource(raw: unknown, uri: string, mimeType?: string): ReadResourceResult {
  if (raw && typeof raw === 'object' && Array.isArray((raw as { contents?: unknown }).contents)) return raw as ReadResourceResult;
  const r = (raw ?? {}) as { text?: unknown; blob?: unknown; mimeType?: unknown };
  const mt = typeof r.mimeType === 'string' ? r.mimeType : mimeType;
  if (typeof raw === 'string') return { contents: [{ uri, ...(mt ? { mimeType: mt } : {}), text: raw }] };
  if (typeof r.blob === 'string') return { contents: [{ uri, ...(mt ? { mimeType: mt } : {}), blob: r.blob }] };
  return { contents: [{ uri, ...(mt ? { mimeType: mt } : {}), text: typeof r.text === 'string' ? r.text : JSON.stringify(raw) }] };
}
