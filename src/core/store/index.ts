// Public surface of the local store (DESIGN §4), for the CLI, the host and the marketplace.
export { storePaths, PLUGIN_NAME } from './paths.js';
export { readState, writeState, pluginDir, dataDir, requireInstalled, emptyState, type StoreState, type InstalledPlugin, type PluginSource, type SignerInfo } from './state.js';
export { acquireStoreLock, withStoreLock, type StoreLock, type LockOptions } from './lock.js';
export { installPlugin, installPackages, updatePlugin, type PackageRequest, type InstallOptions, type InstallResult } from './install.js';
export { uninstallPlugin, type UninstallOptions, type UninstallResult } from './uninstall.js';
export { setEnabled, type EnableOptions, type EnableResult } from './enable.js';
export { listPlugins, recoverIfNeeded, type PluginListEntry } from './list.js';
export { pluginInfo, type PluginInfo, type PermissionInfo } from './info.js';
export { linkPlugin, type LinkResult } from './link.js';
export { getConfig, setConfig, unsetConfig, applyConfigSchema, type PluginConfig } from './config.js';
export { checkStore, type StoreCheck, type StoreProblem } from './check.js';
export { recoverStore, needsRecovery } from './transaction.js';
export { scanPackage, extractPackage, DEFAULT_LIMITS, type ExtractLimits, type PackageScan } from './extract.js';
export { appendAudit, type AuditEntry } from './audit.js';
export { STORE_EVENTS, setStoreEventTransport, announceStoreChange, type StoreEvent, type StoreEventName, type StoreEventTransport, type StoreEventValue, type StoreOperation } from './events.js';
export type { PackageVerifier, VerifiedPackage } from './verify.js';
