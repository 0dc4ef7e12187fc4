import { join } from 'node:path';

/** Every path of the store inside PM_HOME (DESIGN §4), in one place. */
export function storePaths(home: string) {
  return {
    home,
    state: join(home, 'state.json'),
    config: join(home, 'config.json'),
    plugins: join(home, 'plugins'),
    data: join(home, 'data'),
    /** Extraction area beside plugins/ so the final rename stays on one filesystem. */
    staging: join(home, 'staging'),
    /** Previous versions moved aside until state.json records the change. */
    trash: join(home, 'trash'),
    /** The record of the change in progress; its presence means "recover first". */
    journal: join(home, 'journal.json'),
    lock: join(home, 'store.lock'),
    logs: join(home, 'logs'),
    audit: join(home, 'logs', 'audit.log'),
    cache: join(home, 'cache'),
    downloads: join(home, 'cache', 'downloads'),
    /** Secret values for server plugins (mode 0600; core/store/secrets.ts). */
    secrets: join(home, 'secrets.json'),
    /** Named sets of plugins and tools for `pm serve --profile` (core/store/profiles.ts). */
    profiles: join(home, 'profiles.json'),
  };
}

export type StorePaths = ReturnType<typeof storePaths>;

/** Plugin names are safe folder names (manifest rule); checked again here because paths are built from them. */
export const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,49}$/;
