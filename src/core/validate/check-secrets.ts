import { open } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { mapInOrder } from './map-in-order.js';
import type { PluginCheckContext, PluginFile } from './types.js';

/** .env files that conventionally hold no secrets. */
const ENV_TEMPLATES = /^\.env\.(example|sample|template|dist|defaults)$/;
/** SSH private keys by their usual names. */
const SSH_KEYS = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk']);
/** Extensions that hold keys or key stores by convention. */
const KEY_EXTENSIONS = new Set(['.key', '.p12', '.pfx', '.jks', '.keystore']);
/** PEM private keys (PKCS#1/#8, EC, OpenSSH, encrypted) and OpenPGP secret key blocks. */
const PRIVATE_KEY_BLOCK = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** Files larger than this are not read for key blocks (keys are small; big files are reported anyway). */
const CONTENT_LIMIT = 1024 * 1024;

/**
 * Whether a file's content is searched for key blocks. Libraries under node_modules embed example
 * keys in docs and code (openpgp, jose): their files are checked by name only.
 */
function contentChecked(f: PluginFile): boolean {
  return !secretByName(basename(f.path)) && f.size <= CONTENT_LIMIT && !f.path.split('/').includes('node_modules');
}

/** What a file's name alone says it is: an environment file, a private key, or neither. */
function secretByName(name: string): 'env' | 'key' | undefined {
  if ((name === '.env' || name.startsWith('.env.')) && !ENV_TEMPLATES.test(name)) return 'env';
  if (SSH_KEYS.has(name) || KEY_EXTENSIONS.has(extname(name).toLowerCase())) return 'key';
  return undefined;
}

async function head(abs: string, bytes: number): Promise<string> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fh.close();
  }
}

/** No .env files and no private keys anywhere in the folder: by name, and by PEM/OpenPGP key blocks inside files. */
export async function checkSecrets(ctx: PluginCheckContext): Promise<void> {
  const hint = 'remove it from the plugin folder; secrets reach a plugin through permissions.env or plugin-config, never inside the package';
  const files = (await ctx.files()).filter((f) => f.kind === 'file');
  // Key blocks are looked for in the folder's own files up to 1 MiB; those reads overlap
  // (16 at a time), and findings are reported in file order as before.
  const looked = await mapInOrder(files, 16, async (f) => (contentChecked(f) ? PRIVATE_KEY_BLOCK.exec(await head(f.abs, f.size)) : null));
  for (const [i, f] of files.entries()) {
    const byName = secretByName(basename(f.path));
    if (byName === 'env') {
      ctx.findings.error('SECRET_ENV_FILE', 'is an environment file, which usually holds secrets', { where: f.path, hint });
      continue;
    }
    if (byName === 'key') {
      ctx.findings.error('SECRET_PRIVATE_KEY', 'looks like a private key file (by its name)', { where: f.path, hint });
      continue;
    }
    const m = looked[i];
    if (m) {
      const line = m.input.slice(0, m.index).split('\n').length;
      ctx.findings.error('SECRET_PRIVATE_KEY', `holds a private key (${m[0].replace(/-/g, '')})`, { where: `${f.path}:${line}`, hint });
    }
  }
}
