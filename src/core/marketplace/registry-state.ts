import { readFile } from 'node:fs/promises';
import { PmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import { marketPaths } from './paths.js';

/** What pm remembers about the last index it trusted from a registry. */
export interface RegistryState {
  /** The highest index `version` trusted so far; a lower one is a rollback. */
  version: number;
  expires: string | null;
  generatedAt: string;
  /** When the index was last fetched or confirmed unchanged. */
  fetchedAt: string;
  /** Fingerprint of the key whose signature was verified, or null for an unsigned registry. */
  signer: string | null;
  etag?: string;
  lastModified?: string;
  plugins: number;
}

/** The remembered state of a registry, or undefined before its first fetch. */
export async function readRegistryState(home: string, registry: string): Promise<RegistryState | undefined> {
  try {
    return JSON.parse(await readFile(marketPaths(home, registry).state, 'utf8')) as RegistryState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof SyntaxError) {
      // Never treat a damaged record as "first fetch": that would re-open the door to a rollback.
      throw new PmError('REGISTRY_STATE_INVALID', `${marketPaths(home, registry).state} is damaged`, {
        hint: 'remove it only if you trust the registry as it is now: pm will then accept its current index as on first use',
      });
    }
    throw err;
  }
}

/** Records a trusted index's version, expiry and validators. */
export async function writeRegistryState(home: string, registry: string, state: RegistryState): Promise<void> {
  await writeJsonAtomic(marketPaths(home, registry).state, state);
}
