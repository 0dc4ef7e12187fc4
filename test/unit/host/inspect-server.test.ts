import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '../../../src/core/manifest/read.js';
import { inspectEntry } from '../../../src/host/inspect-entry.js';
import { inspectServer } from '../../../src/host/inspect-server.js';
import { tempDir } from '../../helpers/pm.js';
import { announceSkip, python3Missing } from '../../helpers/python.js';
import { pythonNotesCopy, pythonNotesDir } from '../../helpers/server-fixtures.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());
announceSkip('inspectServer against the Python server', python3Missing);

describe.skipIf(python3Missing)(python3Missing ? `inspectServer — SKIPPED: ${python3Missing}` : 'inspectServer starts a server plugin from its folder', () => {
  it('lists the tools the real server reports, through inspectEntry for the server kind', async () => {
    const r = await inspectEntry(pythonNotesDir, await readManifest(pythonNotesDir));
    expect(r.loaded).toBe(true);
    expect(r.tools?.map((t) => t.name)).toEqual(['add', 'echo_env']);
    expect(r.tools?.[0]).toMatchObject({ description: 'Add two numbers', inputSchema: { type: 'object', required: ['a', 'b'] } });
  });

  it('substitutes ${pluginDir} and the config defaults, and gives the server PM_PLUGIN_DIR', async () => {
    const dir = await pythonNotesCopy(join(tmp.dir, 'env'), {
      server: { command: 'python3', args: ['${pluginDir}/probe.py', '${config.units}'] }, contributes: {},
      config: { type: 'object', properties: { units: { type: 'string', default: 'metric' } } },
    });
    // A server whose one tool is named after what it was started with.
    await writeFile(join(dir, 'probe.py'), [
      'import json, os, sys',
      'name = sys.argv[1] + "_" + str(os.environ["PM_PLUGIN_DIR"] == os.getcwd()).lower()',
      'for line in sys.stdin:',
      '    m = json.loads(line)',
      '    if "id" not in m: continue',
      '    r = {"protocolVersion": m["params"]["protocolVersion"], "capabilities": {"tools": {}}, "serverInfo": {"name": "p", "version": "1"}} if m["method"] == "initialize" else {"tools": [{"name": name, "inputSchema": {"type": "object"}}]}',
      '    print(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": r}), flush=True)',
    ].join('\n'));
    const r = await inspectServer(dir, await readManifest(dir));
    expect(r.error).toBeUndefined();
    expect(r.tools?.map((t) => t.name)).toEqual(['metric_true']);
  });

  it('starts a server whose ${config.KEY} has no default and no value yet (the user sets it after install)', async () => {
    const dir = await pythonNotesCopy(join(tmp.dir, 'needs-config'), {
      server: { command: 'python3', args: ['${pluginDir}/server.py', '--token=${config.token}'] }, contributes: {},
      config: { type: 'object', properties: { token: { type: 'string' } } },
    });
    const r = await inspectServer(dir, await readManifest(dir));
    expect(r.error).toBeUndefined();
    expect(r.tools?.map((t) => t.name)).toEqual(['add', 'echo_env']);
  });

  it('says why a server did not start, with its last stderr line', async () => {
    const dir = await pythonNotesCopy(join(tmp.dir, 'dies'));
    await writeFile(join(dir, 'server.py'), 'import sys\nsys.stderr.write("missing module foo\\n")\nsys.exit(1)\n');
    const r = await inspectServer(dir, await readManifest(dir), { timeoutMs: 5000 });
    expect(r.loaded).toBe(false);
    expect(r.error).toContain('(stderr: missing module foo)');
  });
});
