import { PmError } from '../errors.js';
import { PLUGIN_NAME } from '../store/paths.js';

/**
 * The plugin name for a package: `--name` when given, else the package name with its
 * npm scope stripped, lower-cased, other characters turned into '-' (dashes collapsed and
 * trimmed). Throws SERVER_NAME_INVALID when the result is not a plugin name.
 */
export function serverPluginName(packageName: string, given?: string): string {
  if (given !== undefined) {
    if (!PLUGIN_NAME.test(given)) {
      throw new PmError('SERVER_NAME_INVALID', `--name "${given}" is not a plugin name`, {
        hint: 'plugin names are lower-case letters, digits and dashes, start with a letter, and are at most 50 characters', data: { name: given },
      });
    }
    return given;
  }
  const unscoped = packageName.replace(/^@[^/]*\//, '');
  const derived = unscoped.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  if (!PLUGIN_NAME.test(derived)) {
    throw new PmError('SERVER_NAME_INVALID', `cannot make a plugin name from the package name "${packageName}" (got "${derived}")`, {
      hint: 'give one with --name NAME (lower-case letters, digits and dashes, starting with a letter, at most 50)', data: { package: packageName, derived },
    });
  }
  return derived;
}
