import type { Findings } from '../warn.js';
import type { Loose } from './shape.js';

/** What every manifest rule gets: the manifest as parsed (not yet trusted), where to report, and the folder if known. */
export interface ManifestCheckContext {
  manifest: Loose;
  findings: Findings;
  /** The plugin folder; rules that read files (prompt templates) run only when it is given. */
  dir?: string;
}

/** One manifest rule beyond the schema. */
export type ManifestCheck = (ctx: ManifestCheckContext) => void | Promise<void>;
