// Plugin folder validation: manifest, files, and a static scan of the code.
export { validatePlugin, pluginChecks, type ValidatePluginOptions } from './validate-plugin.js';
export type { ValidationReport, PluginCheck, PluginCheckContext, PluginFile } from './types.js';
export { scanSource, type ScanHit } from './scan/static-scan.js';
export { MAX_FILE_BYTES } from './check-folder.js';
