import type { PluginCheckContext } from './types.js';

/** Largest single file a plugin may hold, as plugin-package and install enforce too. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Only regular files and folders: no links, devices or FIFOs, and no file over 10 MiB. */
export async function checkFolder(ctx: PluginCheckContext): Promise<void> {
  for (const f of await ctx.files()) {
    if (f.kind === 'link') {
      ctx.findings.error('FOLDER_LINK', 'is a symbolic link; packages hold only regular files and folders', {
        where: f.path,
        hint: f.path.includes('node_modules/.bin/') ? 'remove node_modules/.bin (plugins do not need it at run time)' : 'replace the link with a copy of the file, or remove it',
      });
    } else if (f.kind === 'other') {
      ctx.findings.error('FOLDER_SPECIAL_FILE', 'is not a regular file or folder (device, FIFO or socket)', { where: f.path, hint: 'remove it from the plugin folder' });
    } else if (f.kind === 'file' && f.size > MAX_FILE_BYTES) {
      ctx.findings.error('FOLDER_FILE_TOO_LARGE', `is ${(f.size / 1024 / 1024).toFixed(1)} MiB; the limit is 10 MiB per file`, {
        where: f.path,
        hint: 'remove it, or download large data at run time into $DATA',
      });
    }
  }
}
