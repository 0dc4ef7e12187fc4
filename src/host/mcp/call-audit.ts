import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { storePaths } from '../../core/store/paths.js';
import type { ToolRef } from '../../core/tool-ref.js';
import type { CallContext } from '../call-context.js';

/**
 * Appends one JSON line per tool call to logs/audit.log (DESIGN §4: installs, enables and
 * tool calls). Buffered in one append stream so the call path never waits on the disk.
 */
export class CallAudit {
  private stream?: WriteStream;
  private readonly user: string;

  constructor(private readonly home: string) {
    let user: string;
    try {
      user = userInfo().username;
    } catch {
      user = process.env.USER ?? 'unknown';
    }
    this.user = user;
  }

  /** Records one finished call: the tool, its outcome and duration, and which session, client and request made it. */
  record(ref: ToolRef, ms: number, ok: boolean, call: CallContext = {}): void {
    const line = JSON.stringify({
      time: new Date().toISOString(), action: 'tool-call', plugin: ref.plugin, tool: ref.tool, ok, ms: Math.round(ms * 100) / 100, user: this.user,
      ...(call.transport !== undefined ? { transport: call.transport } : {}),
      ...(call.sessionId !== undefined ? { session: call.sessionId } : {}),
      ...(call.client !== undefined ? { client: call.client } : {}),
      ...(call.requestId !== undefined ? { request: call.requestId } : {}),
    });
    this.open().write(line + '\n');
  }

  /** Flushes what is buffered. */
  close(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    return new Promise((resolve) => (s ? s.end(resolve) : resolve()));
  }

  private open(): WriteStream {
    if (!this.stream) {
      const file = storePaths(this.home).audit;
      mkdirSync(dirname(file), { recursive: true });
      // A failing disk must not take the server down: the audit line is lost, the call is not.
      this.stream = createWriteStream(file, { flags: 'a', mode: 0o644 }).on('error', () => {});
    }
    return this.stream;
  }
}
