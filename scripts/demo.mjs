// npm run demo: the main job, end to end, in a temporary folder. Grows with each feature.
// Today: check the machine, create a plugin without questions, validate it.
// `npm run demo -- --keep` keeps the temporary folder to look around in.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'pm-demo-'));
const home = join(work, 'home');
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

const steps = [
  { title: 'Check this machine: Node, the sandbox, PM_HOME and gpg', args: ['doctor'], optional: true },
  { title: 'Create a tool plugin called "hello", taking the defaults (no questions)', args: ['plugin-create', 'hello', '--type', 'tool', '--yes'] },
  { title: 'Validate it: manifest, files and a static scan of its code', args: ['plugin-validate', 'hello'] },
];

let failed = false;
try {
  console.log(bold('pm demo') + dim(`  (in ${work}, PM_HOME=${home})`));
  steps.forEach(({ title, args, optional }, i) => {
    if (failed) return;
    console.log(`\n${bold(`${i + 1}/${steps.length} ${title}`)}\n${dim(`$ pm ${args.join(' ')}`)}`);
    // PM_HOME in the environment, not --home, so the commands shown are the ones to type.
    const r = spawnSync(process.execPath, [join(root, 'bin', 'pm.js'), ...args], {
      stdio: 'inherit', cwd: work, env: { ...process.env, PM_HOME: home },
    });
    if (r.status === 0) return;
    if (optional) {
      console.log(dim(`(pm ${args[0]} exited ${r.status}: see its hints above; the demo goes on)`));
      return;
    }
    console.error(`\ndemo failed at: pm ${args.join(' ')} (exit ${r.status})`);
    failed = true;
  });
  if (!failed) {
    console.log(`
${bold('Done.')} What to try next (pm is \`node bin/pm.js\` here, or \`npm link\` to put it on your PATH):
  pm plugin-create                    the wizard: name, type, language, tests, CI
  pm plugin-create notes --type full --lang ts --yes
                                      a TypeScript plugin with a tool, a resource, a prompt and a hook
  pm plugin-validate notes --json     the validation report as data
  docs/plugin-author-guide.md         the layout, the templates and what to edit`);
  }
} finally {
  if (keep) console.log(dim(`\nKept ${work}`));
  else rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
