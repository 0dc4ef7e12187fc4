// Public surface of packaging, for the store, marketplace and registry modules.
export { packPlugin, type PackOptions, type PackResult } from './pack-plugin.js';
export { integrityOfFile, integrityOfBytes, formatIntegrity } from './integrity.js';
export { listPackageFiles, NEVER_PACKED, type PackEntry } from './package-files.js';
export { FIXED_MTIME } from './write-tarball.js';
export { readTarballManifest } from './read-tarball-manifest.js';
