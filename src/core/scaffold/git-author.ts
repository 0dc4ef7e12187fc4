import { execFile } from 'node:child_process';

/** Reads one `git config` value; undefined when git is missing or the key is unset. */
function gitConfig(key: string, cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', '--get', key], { cwd, timeout: 5000 }, (err, stdout) => {
      const value = err ? '' : stdout.trim();
      resolve(value === '' ? undefined : value);
    });
  });
}

/** The author default from `git config user.name` and `user.email` ("Ada <ada@example.org>"), or "". */
export async function gitAuthor(cwd: string = process.cwd()): Promise<string> {
  const [name, email] = await Promise.all([gitConfig('user.name', cwd), gitConfig('user.email', cwd)]);
  if (name && email) return `${name} <${email}>`;
  return name ?? (email ? `<${email}>` : '');
}
