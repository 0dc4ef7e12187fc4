import { createRequire } from 'node:module';

/** This pm's and this Node's versions, which a plugin's `engines` must accept. */
export function runningEngines(): { pm: string; node: string } {
  const pm = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  return { pm, node: process.versions.node };
}
