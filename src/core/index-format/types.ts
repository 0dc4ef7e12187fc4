/** The largest registry index pm reads (download, cache, registry-build and registry-validate). */
export const DEFAULT_MAX_INDEX_BYTES = 16 * 1024 * 1024;

/** One published version of a plugin in a registry index (DESIGN §6). */
export interface IndexVersion {
  /** Package location, relative to the site root (or absolute under the registry's URL). */
  url: string;
  size: number;
  integrity: string;
  /** Location of the `.prov` file, or null for an unsigned package. */
  provenance: string | null;
  /** Fingerprint of the key that signed the provenance, or null when unsigned. */
  signer: string | null;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  tools: string[];
  permissions?: Record<string, unknown>;
  publishedAt: string;
  deprecated: string | null;
}

/** One plugin in a registry index with every published version. */
export interface IndexPlugin {
  description: string;
  author?: string;
  license?: string;
  homepage?: string;
  categories: string[];
  tags: string[];
  latest: string;
  rating?: number | null;
  downloads?: number;
  versions: Record<string, IndexVersion>;
}

/** The catalogue a registry serves as index.json. */
export interface RegistryIndex {
  schemaVersion: 1;
  name: string;
  /** The site's base URL; when present the client refuses an index served from elsewhere. */
  url?: string;
  /** Monotonic counter: a lower one than the last trusted is a rollback. */
  version: number;
  generatedAt: string;
  /** After this instant the index is refused (freeze attack); null never expires. */
  expires: string | null;
  /** Publisher public keys (armored) by fingerprint; covered by the index signature. */
  keys?: Record<string, string>;
  plugins: Record<string, IndexPlugin>;
}
