import { PmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import { readRegularText } from '../fs/read-regular-file.js';
import { marketPaths } from './paths.js';

/** A configured registry as kept in config.json. */
export interface RegistryConfig {
  name: string;
  /** http(s) URL of the site root, or an absolute folder path. */
  url: string;
  /** Pinned armored public keys; the index must be signed by one of them. Empty when unsigned. */
  keys: string[];
  /** Fingerprints of `keys`, for display. */
  fingerprints: string[];
  allowUnsigned: boolean;
  addedAt: string;
}

interface ConfigFile {
  registries?: Record<string, Omit<RegistryConfig, 'name'>>;
  [other: string]: unknown;
}

async function readConfigFile(home: string): Promise<ConfigFile> {
  const file = marketPaths(home).config;
  let text: string;
  try {
    text = await readRegularText(file, { what: 'the registries config', maxBytes: 16 * 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as ConfigFile;
  } catch (err) {
    throw new PmError('CONFIG_FILE_CORRUPT', `${file} is not valid JSON: ${(err as Error).message}`, { hint: 'fix or remove the file; pm writes it again' });
  }
}

/** Configured registries in priority order (the order they were added). */
export async function listRegistries(home: string): Promise<RegistryConfig[]> {
  const cfg = await readConfigFile(home);
  return Object.entries(cfg.registries ?? {}).map(([name, r]) => ({ ...r, name }));
}

/** One configured registry, or a PmError naming the ones that exist. */
export async function getRegistry(home: string, name: string): Promise<RegistryConfig> {
  const all = await listRegistries(home);
  const r = all.find((x) => x.name === name);
  if (!r) {
    throw new PmError('REGISTRY_UNKNOWN', `no registry named ${name}`, {
      hint: all.length ? `configured: ${all.map((x) => x.name).join(', ')}` : "add one with 'pm marketplace-add <name> <url> --key <file>'",
      data: { name },
    });
  }
  return r;
}

/** Adds or replaces a registry, keeping every other field of config.json. */
export async function saveRegistry(home: string, reg: RegistryConfig): Promise<void> {
  const { withStoreLock } = await import('../store/lock.js');
  await withStoreLock(home, async () => {
    const cfg = await readConfigFile(home);
    const { name, ...rest } = reg;
    cfg.registries = { ...(cfg.registries ?? {}), [name]: rest };
    await writeJsonAtomic(marketPaths(home).config, cfg);
  });
}

/** Removes a registry from config.json; returns whether it was there. */
export async function deleteRegistry(home: string, name: string): Promise<boolean> {
  const { withStoreLock } = await import('../store/lock.js');
  return withStoreLock(home, async () => {
    const cfg = await readConfigFile(home);
    if (!cfg.registries?.[name]) return false;
    delete cfg.registries[name];
    await writeJsonAtomic(marketPaths(home).config, cfg);
    return true;
  });
}
