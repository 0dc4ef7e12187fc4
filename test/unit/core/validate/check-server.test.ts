import { afterAll, describe, expect, it } from 'vitest';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { validatePlugin } from '../../../../src/core/validate/validate-plugin.js';
import { tempDir } from '../../../helpers/pm.js';
import { pythonNotesCopy, pythonNotesDir } from '../../../helpers/server-fixtures.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());
let n = 0;
/** A copy of the Python server fixture with `server` replaced, validated without starting it. */
async function validateWith(server: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const dir = await pythonNotesCopy(join(tmp.dir, `p${n++}`), { server, contributes: {}, ...extra });
  return validatePlugin(dir);
}
const codes = (fs: { code: string; where?: string }[]) => fs.map((f) => `${f.code} ${f.where}`);

describe('checkServer: a server plugin validates without an entry to load', () => {
  it('passes the Python server folder with no entry finding', async () => {
    const r = await validatePlugin(pythonNotesDir);
    expect(r.errors).toEqual([]);
    // Its tools are declared, so without a way to start it that comparison is a warning, not a silent pass.
    expect(codes(r.warnings)).toEqual(['SERVER_NOT_INSPECTED contributes.tools']);
  });

  it('refuses a substitution pm does not do', async () => {
    const r = await validateWith({ command: 'python3', args: ['${pluginDir}/server.py', '${HOME}/x'] });
    expect(codes(r.errors)).toEqual(['SERVER_SUBSTITUTION_UNKNOWN server.args[1]']);
    expect(r.errors[0]!.message).toBe('uses ${HOME}, which pm does not substitute');
  });

  it('refuses a ${pluginDir} path that is missing or outside the folder', async () => {
    const r = await validateWith({ command: 'python3', args: ['${pluginDir}/srv.py', '${pluginDir}/../x.py'], cwd: '${pluginDir}/work' });
    expect(codes(r.errors)).toEqual(['SERVER_FILE_MISSING server.args[0]', 'SERVER_FILE_OUTSIDE server.args[1]', 'SERVER_FILE_MISSING server.cwd']);
  });

  it('refuses a ${pluginDir} command that is not executable, and passes it once it is', async () => {
    const dir = await pythonNotesCopy(join(tmp.dir, 'exec'), { server: { command: '${pluginDir}/server.py' }, contributes: {} });
    await chmod(join(dir, 'server.py'), 0o644);
    expect(codes((await validatePlugin(dir)).errors)).toEqual(['SERVER_COMMAND_NOT_EXECUTABLE server.command']);
    await chmod(join(dir, 'server.py'), 0o755);
    expect((await validatePlugin(dir)).errors).toEqual([]);
  });

  it('refuses a relative command and warns about an absolute one or one not on PATH', async () => {
    expect(codes((await validateWith({ command: 'bin/serve' })).errors)).toEqual(['SERVER_COMMAND_RELATIVE server.command']);
    expect(codes((await validateWith({ command: '/opt/x/serve' })).warnings)).toEqual(['SERVER_COMMAND_ABSOLUTE server.command']);
    const missing = await validateWith({ command: 'pm-no-such-program-here' });
    expect(missing.errors).toEqual([]);
    expect(codes(missing.warnings)).toEqual(['SERVER_COMMAND_NOT_FOUND server.command']);
  });

  it('warns about ${config.KEY} with no such configuration property, and is quiet about declared ones and secrets', async () => {
    const r = await validateWith(
      { command: 'python3', args: ['${pluginDir}/server.py'], env: { A: '${config.units}', B: '${config.nope}', C: '${secret.API_KEY}', D: '${dataDir}' } },
      { config: { type: 'object', properties: { units: { type: 'string', default: 'metric' } } } },
    );
    expect(r.errors).toEqual([]);
    expect(codes(r.warnings)).toEqual(['SERVER_CONFIG_UNDECLARED server.env.B']);
  });

  it('reports main and server together once, from the manifest rules', async () => {
    const r = await validateWith({ command: 'python3', args: ['${pluginDir}/server.py'] }, { main: 'server.py' });
    expect(r.errors.map((e) => e.code)).toContain('MANIFEST_MAIN_AND_SERVER');
  });
});
