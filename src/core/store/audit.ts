import { appendFile, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { storePaths } from './paths.js';

/** One line of logs/audit.log written by the store (the MCP server adds `tool-call` lines: src/host/mcp/call-audit.ts). */
export interface AuditEntry {
  time: string;
  action: 'install' | 'update' | 'uninstall' | 'enable' | 'disable' | 'config' | 'link' | 'tools-accept' | 'trust' | 'untrust';
  plugin: string;
  version: string | null;
  integrity: string | null;
  /** Signer fingerprint, or "unsigned". */
  signer: string;
  user: string;
  [k: string]: unknown;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? String(process.getuid?.() ?? 'unknown');
  }
}

/** Appends one JSON line per store change to logs/audit.log (single write, so lines never interleave). */
export async function appendAudit(home: string, entry: Omit<AuditEntry, 'time' | 'user'>): Promise<void> {
  await appendAuditRecord(home, entry as { action: string });
}

/** Appends a line about a change that concerns no one plugin (secret-set, profile-set); time and user are added. */
export async function appendAuditRecord(home: string, entry: { action: string; [k: string]: unknown }): Promise<void> {
  const p = storePaths(home);
  await mkdir(p.logs, { recursive: true });
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry, user: currentUser() }) + '\n';
  await appendFile(p.audit, line, { mode: 0o644 });
}
