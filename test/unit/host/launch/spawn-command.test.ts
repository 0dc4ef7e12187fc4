import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawnCommand } from '../../../../src/host/launch/spawn-command.js';

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) out += chunk as string;
  return out;
}

describe('spawnCommand', () => {
  it('runs the command with exactly the given environment and cwd, stdio piped', async () => {
    const h = await spawnCommand({
      command: 'node', args: ['-e', 'process.stdin.pipe(process.stdout); console.error(JSON.stringify({ cwd: process.cwd(), env: Object.keys(process.env).sort() }))'],
      env: { PATH: process.env.PATH!, ONLY: '1' }, cwd: '/',
    });
    expect(h.pid).toBeGreaterThan(0);
    h.stdin.end('echoed');
    const [out, err, exit] = await Promise.all([collect(h.stdout), collect(h.stderr), h.exited]);
    expect(out).toBe('echoed');
    expect(JSON.parse(err)).toEqual({ cwd: '/', env: ['ONLY', 'PATH'] });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(h.hasExited).toBe(true);
  });

  it('kills the whole process group, so a child the program started goes too', async () => {
    // The program starts a grandchild that would outlive it, and reports its pid.
    const h = await spawnCommand({
      command: 'node', args: ['-e', "const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000)"],
      env: { PATH: process.env.PATH! }, cwd: '/',
    });
    const pid = await new Promise<number>((r) => h.stdout.once('data', (d: Buffer) => r(Number(String(d).trim()))));
    h.kill('SIGTERM');
    expect(await h.exited).toEqual({ code: null, signal: 'SIGTERM' });
    // A zombie (killed, not yet reaped by init) counts as gone.
    const alive = () => {
      try { process.kill(pid, 0); } catch { return false; }
      try { return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return true; }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive()).toBe(false);
  });

  it('refuses a command that is not on the PATH it is given, before spawning', async () => {
    await expect(spawnCommand({ command: 'pm-no-such-program', args: [], env: { PATH: '/nonexistent' }, cwd: '/' })).rejects.toMatchObject({ code: 'SERVER_COMMAND_NOT_FOUND' });
  });
});
