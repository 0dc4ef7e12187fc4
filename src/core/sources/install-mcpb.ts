/**
 * `pm plugin-install x.mcpb`: an MCP Bundle (DESIGN §6b) becomes a server plugin through the
 * shared staging of server sources: ZIP extracted with the tarball refusals, manifest checked
 * with the official schemas, user_config asked or taken from --config, sensitive values kept as secrets.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import semver from 'semver';
import { PmError } from '../errors.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { MAX_MANIFEST_BYTES } from '../manifest/read.js';
import { applyConfigSchema, parseConfigValue, setConfig } from '../store/config.js';
import { DEFAULT_LIMITS, type ExtractLimits } from '../store/extract.js';
import { checkSecretName, normalizeSecretValue, setSecret } from '../store/secrets.js';
import { mcpbConfigSchema, mcpbSecretName, mcpbServerSpec, validateMcpbManifest, type McpbManifest, type McpbUserConfigOption } from './mcpb-manifest.js';
import { splitSignatureBlock } from './mcpb-signature-block.js';
import { verifyBundleSignature, type BundleSignature } from './mcpb-signature.js';
import { extractBundleZip } from './mcpb-zip.js';
import { serverPluginName } from './plugin-name.js';
import { download, urlFileName } from '../store/source.js';
import { installServerFolder, withStagingFolder, type ServerInstallResult, type StageServerOptions } from './stage-server.js';

export interface McpbInstallOptions extends StageServerOptions {
  /** --allow-unsigned: install a bundle whose signature pm has not verified. */
  allowUnsigned?: boolean;
  limits?: Partial<ExtractLimits>;
  /** --config KEY=VALUE values for the bundle's user_config (sensitive ones included). */
  config?: Record<string, string>;
  /** --timeout for a URL (ms). */
  fetchTimeoutMs?: number;
  /** Asks for a user_config value not given with --config (the CLI, on a terminal); undefined keeps the default. */
  askConfig?: (key: string, option: McpbUserConfigOption) => Promise<string | undefined>;
}

/** What a bundle install did. */
export interface McpbInstallResult extends ServerInstallResult {
  mcpb: { manifestVersion: string; serverType: string; sha256: string; signature: BundleSignature; config: string[]; secrets: string[] };
}

// Kept apart so that telling a bundle from a package loads no ZIP or PKCS#7 code.
export { isBundlePath } from './bundle-path.js';

async function readBundleManifest(dir: string, file: string): Promise<McpbManifest> {
  const path = join(dir, 'manifest.json');
  const size = await stat(path).then((s) => (s.isFile() ? s.size : -1), () => -1);
  if (size < 0) throw new PmError('MCPB_MANIFEST_INVALID', `${file}: the bundle has no manifest.json at its root`, { hint: 'this is not an MCP Bundle; bundles are made with mcpb pack', data: { file } });
  if (size > MAX_MANIFEST_BYTES) throw new PmError('MCPB_MANIFEST_INVALID', `${file}: manifest.json is larger than 1 MiB`, { hint: 'do not install this bundle', data: { file } });
  let raw: unknown;
  try {
    raw = parseUntrustedJson(await readFile(path), { what: 'manifest.json', maxBytes: MAX_MANIFEST_BYTES });
  } catch (err) {
    throw new PmError('MCPB_MANIFEST_INVALID', `${file}: manifest.json is not valid JSON (${(err as Error).message})`, { hint: "the bundle's author can check it with 'mcpb validate'", data: { file } });
  }
  return validateMcpbManifest(raw, file);
}

/** The user_config values for this install, checked before anything is written: config for the store, secrets by name. */
async function collectValues(m: McpbManifest, plugin: string, opts: McpbInstallOptions): Promise<{ config: Record<string, string>; secrets: Record<string, string> }> {
  const options = m.user_config ?? {};
  for (const key of Object.keys(opts.config ?? {})) {
    if (!Object.hasOwn(options, key)) {
      throw new PmError('CONFIG_UNKNOWN_KEY', `the bundle has no user_config key "${key}"`, { hint: `known keys: ${Object.keys(options).sort().join(', ') || '(none)'}`, data: { plugin, key } });
    }
  }
  const config: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [key, o] of Object.entries(options)) {
    let value = opts.config && Object.hasOwn(opts.config, key) ? opts.config[key] : undefined;
    if (value === undefined && opts.askConfig) value = await opts.askConfig(key, o);
    if (value === undefined || value === '') {
      if (o.required && o.default === undefined) {
        throw new PmError('MCPB_CONFIG_MISSING', `${plugin} needs a value for "${key}" (${o.title})`, {
          hint: `give it with --config ${key}=<value>${o.sensitive ? ' (stored as a pm secret)' : ''}, or run the install in a terminal to be asked`, data: { plugin, key },
        });
      }
      continue;
    }
    if (o.sensitive) {
      const name = mcpbSecretName(plugin, key);
      checkSecretName(name);
      secrets[name] = normalizeSecretValue(name, value);
    } else {
      config[key] = value;
    }
  }
  const schema = mcpbConfigSchema(m);
  if (schema) {
    const props = schema.properties as Record<string, Record<string, unknown>>;
    await applyConfigSchema(plugin, schema, Object.fromEntries(Object.entries(config).map(([k, v]) => [k, parseConfigValue(v, props[k])])));
  }
  return { config, secrets };
}

/**
 * Installs a local .mcpb file as a server plugin. Nothing reaches PM_HOME before the bundle,
 * its manifest and the user's values are all checked and the permissions accepted.
 */
export async function installMcpbBundle(file: string, opts: McpbInstallOptions): Promise<McpbInstallResult> {
  if (/^https?:\/\//i.test(file)) {
    // Downloaded into its own temporary folder (the limit is the unpacked limit), then installed as a file.
    const limit = opts.limits?.maxUnpackedBytes ?? DEFAULT_LIMITS.maxUnpackedBytes;
    return withStagingFolder(async (tmp) => {
      const dest = join(tmp, urlFileName(file));
      await download(file, dest, limit, false, { timeoutMs: opts.fetchTimeoutMs });
      const r = await installMcpbFile(dest, { ...opts, url: file });
      return r;
    });
  }
  return installMcpbFile(file, opts);
}

async function installMcpbFile(file: string, opts: McpbInstallOptions & { url?: string }): Promise<McpbInstallResult> {
  const limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
  const path = resolve(file);
  const shown = basename(path);
  const size = await stat(path).then((s) => s.size, () => { throw new PmError('MCPB_NOT_FOUND', `${file} does not exist`, { hint: 'give the path of an .mcpb file', data: { file } }); });
  if (size > limits.maxUnpackedBytes) {
    throw new PmError('TAR_TOO_LARGE', `refused ${shown}: the bundle is larger than ${limits.maxUnpackedBytes} bytes`, { hint: 'raise the limit with --max-unpacked <MiB> only if you trust this bundle', data: { file: shown } });
  }
  const bytes = await readFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const { zip, pkcs7 } = splitSignatureBlock(bytes, shown);
  // Verified before anything is extracted: a tampered bundle is refused whoever signed it.
  const signature: BundleSignature = pkcs7 ? await verifyBundleSignature(zip, pkcs7, shown, { home: opts.home }) : { status: 'unsigned', trusted: false };
  if (!signature.trusted && !opts.allowUnsigned) {
    if (signature.status === 'unsigned') {
      throw new PmError('SIGNATURE_MISSING', `${shown} is not signed`, { hint: 'to install it unverified anyway, add --allow-unsigned', data: { file: shown } });
    }
    throw new PmError('MCPB_SIGNER_UNTRUSTED', `${shown} is ${signature.status} by ${signature.subject} (sha256 ${signature.fingerprint}), a certificate you do not trust`, {
      hint: 'trust the signer with pm keys-trust-x509 <cert.pem> if you know it, or add --allow-unsigned to install it unverified', data: { file: shown, signature },
    });
  }
  return withStagingFolder(async (dir) => {
    await extractBundleZip(zip, shown, dir, limits);
    const m = await readBundleManifest(dir, shown);
    const plugin = serverPluginName(m.name, opts.name);
    const server = mcpbServerSpec(m, plugin);
    const values = await collectValues(m, plugin, opts);
    const version = semver.valid(m.version) ?? semver.valid(semver.coerce(m.version));
    if (!version) throw new PmError('MCPB_MANIFEST_INVALID', `${shown}: version "${m.version}" is not a semantic version`, { hint: 'ask the bundle author for a semver version', data: { file: shown } });
    const manifestVersion = String(m.manifest_version ?? m.dxt_version);
    const schema = mcpbConfigSchema(m);
    const r = await installServerFolder(dir, {
      server,
      source: {
        type: 'mcpb', spec: opts.url ?? path, ...(opts.url ? { url: opts.url } : {}), sha256, integrity: `sha256-${Buffer.from(sha256, 'hex').toString('base64')}`,
        manifestVersion, serverType: m.server.type, signature: signature.status,
        ...(signature.subject ? { signer: { subject: signature.subject, fingerprint: signature.fingerprint, trusted: signature.trusted } } : {}),
        ...(m.tools?.length ? { declaredTools: m.tools.map((t) => t.name) } : {}),
        ...(m.prompts?.length ? { declaredPrompts: m.prompts.map((p) => p.name) } : {}),
      },
      facts: { packageName: m.name, version, description: m.description, license: m.license, author: m.author.name },
      ...(schema ? { config: schema } : {}),
    }, { ...opts, name: plugin, refuseTaken: opts.refuseTaken ?? (!opts.force && !opts.update) });
    for (const [name, value] of Object.entries(values.secrets)) await setSecret(name, value, { home: opts.home });
    for (const [key, value] of Object.entries(values.config)) await setConfig(plugin, key, value, { home: opts.home, lockTimeoutMs: opts.lockTimeoutMs });
    return { ...r, mcpb: { manifestVersion, serverType: m.server.type, sha256, signature, config: Object.keys(values.config), secrets: Object.keys(values.secrets) } };
  });
}
