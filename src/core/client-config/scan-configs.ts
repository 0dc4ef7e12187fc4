import { readRegularText } from '../fs/read-regular-file.js';
import { entryProblems, looksLikePm, type EntryProblem } from './check-entry.js';
import type { ClientConfigFile, ClientKind } from './locations.js';

export interface ConfigFinding {
  client: ClientKind;
  path: string;
  /** Where in the file: `mcpServers.pm` or `projects["/x"].mcpServers.pm`. */
  at: string;
  problems: EntryProblem[];
}

type Servers = Record<string, { command?: unknown; args?: unknown; env?: unknown; url?: unknown }>;

function serverTables(doc: Record<string, unknown>): [string, Servers][] {
  const tables: [string, Servers][] = [];
  if (doc.mcpServers && typeof doc.mcpServers === 'object') tables.push(['mcpServers', doc.mcpServers as Servers]);
  // ~/.claude.json keeps local-scope servers per project folder.
  if (doc.projects && typeof doc.projects === 'object') {
    for (const [dir, p] of Object.entries(doc.projects as Record<string, { mcpServers?: Servers }>)) {
      if (p?.mcpServers && typeof p.mcpServers === 'object') tables.push([`projects[${JSON.stringify(dir)}].mcpServers`, p.mcpServers]);
    }
  }
  return tables;
}

/** Reads the given client config files and reports every pm entry with why it would not start (missing files are skipped). */
export async function scanClientConfigs(files: ClientConfigFile[], paths: { shell?: string; gui?: string[] } = {}): Promise<ConfigFinding[]> {
  const findings: ConfigFinding[] = [];
  for (const file of files) {
    let text: string;
    try {
      // A client's config may be large (chat history in ~/.claude.json), never endless: a FIFO or device is skipped.
      text = await readRegularText(file.path, { what: 'the client config', maxBytes: 256 * 1024 * 1024 });
    } catch {
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      findings.push({ ...file, at: '', problems: [{ severity: 'fail', message: `is not valid JSON (${(err as Error).message}), so the client ignores every server in it`, hint: 'fix the JSON syntax, then restart the client' }] });
      continue;
    }
    if (!doc || typeof doc !== 'object') continue;
    for (const [table, servers] of serverTables(doc as Record<string, unknown>)) {
      for (const [name, entry] of Object.entries(servers)) {
        if (!entry || typeof entry !== 'object' || entry.url !== undefined || !looksLikePm(name, entry)) continue;
        findings.push({ ...file, at: `${table}.${name}`, problems: entryProblems(entry, file.client, paths) });
      }
    }
  }
  return findings;
}
