import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PmError } from '../../core/errors.js';

/** The runner and the files it imports: the only pm files a plugin process may read. */
export function runnerFiles(): { runner: string; files: string[] } {
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  // Under vitest this module runs from src/; the runner always runs built.
  if (!existsSync(join(dir, 'runner.js'))) dir = resolve(dir, '../../dist/host');
  const runner = join(dir, 'runner.js');
  if (!existsSync(runner)) {
    throw new PmError('RUNNER_MISSING', `the plugin runner ${runner} is missing`, { hint: 'run npm run build' });
  }
  const real = (p: string) => realpathSync(p);
  return { runner: real(runner), files: [real(runner), real(join(dir, 'ipc.js')), real(join(dir, 'line-channel.js')), real(join(dir, 'hooks', 'rules.js'))] };
}
