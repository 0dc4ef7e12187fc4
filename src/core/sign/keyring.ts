import { chmod, mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { userInfo } from 'node:os';
import type { Key, PrivateKey, PublicKey } from 'openpgp';
import { PmError, usageError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../fs/atomic-write.js';
import { readRegularText } from '../fs/read-regular-file.js';
import type { Findings } from '../warn.js';
import { formatFingerprint, normalizeKeyRef } from './fingerprint.js';
import { assertAcceptedAlgorithm, describeAlgorithm } from './key-policy.js';
import { loadOpenpgpWithCodeCache } from './openpgp-code-cache.js';

/** Reads a file of the keyring: armored keys and keyring.json stay far below 4 MiB, and a FIFO or device planted there must not hang pm. */
function readKeyringFile(path: string): Promise<string> {
  return readRegularText(path, { what: 'the keyring file', maxBytes: 4 * 1024 * 1024, hint: 'remove the file from PM_HOME/keys; it is not one pm wrote' });
}

/** Warns (KEY_EXPIRED, KEY_REVOKED) when trusting `key` would not make its signatures accepted. */
export function noteUnusableKey(key: KeyInfo, findings: Findings): void {
  const fpr = formatFingerprint(key.fingerprint);
  if (key.revoked) {
    findings.warn('KEY_REVOKED', `key ${fpr} is revoked: packages signed by it are refused (SIGNER_REVOKED) even when it is trusted`, {
      hint: 'ask the publisher for their current key', data: { fingerprint: key.fingerprint },
    });
  } else if (key.expired) {
    findings.warn('KEY_EXPIRED', `key ${fpr} expired on ${key.expires!.slice(0, 10)}: packages signed by it are refused (SIGNER_EXPIRED) even when it is trusted`, {
      hint: "ask the publisher to extend the key's expiry, then run 'pm keys-import' with the updated key", data: { fingerprint: key.fingerprint, expires: key.expires },
    });
  }
}

/** What pm shows and returns about a key (own or imported). */
export interface KeyInfo {
  /** Upper-case hex, 40 digits for v4 keys. */
  fingerprint: string;
  userIds: string[];
  algorithm: string;
  created: string;
  /** ISO date, or null when the key never expires. */
  expires: string | null;
  expired: boolean;
  revoked: boolean;
  /** pm holds the secret key (made by keys-generate). */
  own: boolean;
  /** Own keys are trusted; imported keys only after keys-trust. */
  trusted: boolean;
  /** The key plugin-sign uses without --key. */
  default: boolean;
  /** Key IDs (16 hex) of the primary key and its subkeys: what signatures name. */
  keyIds: string[];
}

interface KeyringFile {
  schemaVersion: 1;
  defaultKey: string | null;
  trusted: Record<string, { trustedAt: string }>;
}

export interface GenerateKeyOptions {
  name?: string;
  email?: string;
  passphrase?: string;
}

let openpgpModule: Promise<typeof import('openpgp')> | undefined;

/**
 * Loads openpgp only when a keys or signing command needs it (it is the heaviest module): from the
 * build's V8 code cache when there is one, else the package's minified ESM build, which parses
 * faster than the default one.
 */
export function loadOpenpgp(): Promise<typeof import('openpgp')> {
  openpgpModule ??= (async () => {
    try {
      const cached = loadOpenpgpWithCodeCache();
      if (cached) return cached;
    } catch {
      // Fall back to a normal import below.
    }
    try {
      const cjs = createRequire(import.meta.url).resolve('openpgp');
      return (await import(pathToFileURL(join(dirname(cjs), 'openpgp.min.mjs')).href)) as typeof import('openpgp');
    } catch {
      return import('openpgp');
    }
  })();
  return openpgpModule;
}

/**
 * The keyring in `<home>/keys/`: `secret/<FPR>.asc` (own secret keys, mode 0600),
 * `public/<FPR>.asc` (own and imported public keys) and `keyring.json` (default key, trust list).
 */
export class Keyring {
  readonly dir: string;
  constructor(readonly home: string) {
    this.dir = join(home, 'keys');
  }

  private async readState(): Promise<KeyringFile> {
    try {
      const s = JSON.parse(await readKeyringFile(join(this.dir, 'keyring.json'))) as KeyringFile;
      return { schemaVersion: 1, defaultKey: s.defaultKey ?? null, trusted: s.trusted ?? {} };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 1, defaultKey: null, trusted: {} };
      throw new PmError('KEYRING_CORRUPT', `${join(this.dir, 'keyring.json')} cannot be read: ${(err as Error).message}`, { hint: 'restore it from a backup, or remove it and trust your keys again' });
    }
  }

  private async ensureDirs(): Promise<void> {
    await mkdir(join(this.dir, 'secret'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.dir, 'public'), { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    await chmod(join(this.dir, 'secret'), 0o700);
  }

  private async fingerprintsIn(sub: 'secret' | 'public'): Promise<string[]> {
    try {
      return (await readdir(join(this.dir, sub))).filter((f) => /^[0-9A-F]{40,64}\.asc$/.test(f)).map((f) => f.slice(0, -4)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /**
   * The public keys a verification picks its signer from, with their trust, without checking
   * self-signatures (cheap). Given the key IDs a signature names, only the keys whose file name
   * (the fingerprint) carries one of them are parsed — a v4 key ID ends its fingerprint, a v6 one
   * starts it; when none does (a signature by a subkey), every key is.
   */
  async candidateKeys(keyIds: string[] = []): Promise<{ key: PublicKey; fingerprint: string; own: boolean; trusted: boolean }[]> {
    const [openpgp, state, ownList, all] = await Promise.all([loadOpenpgp(), this.readState(), this.fingerprintsIn('secret'), this.fingerprintsIn('public')]);
    const own = new Set(ownList);
    const ids = keyIds.map((id) => id.toUpperCase());
    const named = all.filter((fpr) => ids.some((id) => fpr.endsWith(id) || fpr.startsWith(id)));
    const fprs = named.length ? named : all;
    return Promise.all(fprs.map(async (fpr) => ({
      key: (await openpgp.readKey({ armoredKey: await readKeyringFile(join(this.dir, 'public', `${fpr}.asc`)) })) as PublicKey,
      fingerprint: fpr,
      own: own.has(fpr),
      trusted: own.has(fpr) || fpr in state.trusted,
    })));
  }

  /** Every public key in the keyring as openpgp objects, with what pm knows about each. */
  async publicKeys(): Promise<{ key: PublicKey; info: KeyInfo }[]> {
    const openpgp = await loadOpenpgp();
    const state = await this.readState();
    const own = new Set(await this.fingerprintsIn('secret'));
    const out = [];
    for (const fpr of await this.fingerprintsIn('public')) {
      const key = await openpgp.readKey({ armoredKey: await readKeyringFile(join(this.dir, 'public', `${fpr}.asc`)) });
      out.push({ key: key as PublicKey, info: await describeKey(key, { own: own.has(fpr), trusted: own.has(fpr) || fpr in state.trusted, isDefault: state.defaultKey === fpr }) });
    }
    return out;
  }

  /** Own keys first, then imported ones; each with full fingerprint, user IDs, dates and trust. */
  async list(): Promise<KeyInfo[]> {
    const keys = (await this.publicKeys()).map((k) => k.info);
    return keys.sort((a, b) => Number(b.own) - Number(a.own) || a.fingerprint.localeCompare(b.fingerprint));
  }

  /** Finds one key by full fingerprint or a unique suffix of at least 16 hex digits. */
  async get(ref: string): Promise<KeyInfo> {
    return (await this.find(ref)).info;
  }

  private async find(ref: string): Promise<{ key: PublicKey; info: KeyInfo }> {
    const want = normalizeKeyRef(ref);
    const matches = (await this.publicKeys()).filter((k) => k.info.fingerprint.endsWith(want));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw usageError(`"${ref}" matches ${matches.length} keys`, 'give the full fingerprint');
    throw new PmError('KEY_NOT_FOUND', `no key ${want} in ${this.dir}`, { hint: "run 'pm keys-list' to see the keys pm knows, or 'pm keys-import <file>' to add one" });
  }

  /** Makes an OpenPGP v4 Ed25519 key pair (readable by GnuPG 2.2); the first own key becomes the default. */
  async generate(opts: GenerateKeyOptions = {}): Promise<KeyInfo> {
    const openpgp = await loadOpenpgp();
    const name = opts.name?.trim() || userInfo().username;
    const userID = opts.email ? { name, email: opts.email } : { name };
    const { privateKey } = await openpgp.generateKey({
      type: 'ecc',
      curve: 'ed25519Legacy',
      userIDs: [userID],
      passphrase: opts.passphrase || undefined,
      format: 'object',
      // v4 keys, which GnuPG 2.2 reads (v6 keys need GnuPG 2.5+); false is also openpgp 6's default.
      config: { v6Keys: false },
    });
    const fpr = privateKey.getFingerprint().toUpperCase();
    const secret = join(this.dir, 'secret', `${fpr}.asc`);
    const pub = join(this.dir, 'public', `${fpr}.asc`);
    try {
      await this.ensureDirs();
      await writeFileAtomic(secret, privateKey.armor(), { mode: 0o600 });
      await writeFileAtomic(pub, privateKey.toPublic().armor(), { mode: 0o644 });
      const state = await this.readState();
      if (!state.defaultKey) {
        state.defaultKey = fpr;
        await writeJsonAtomic(join(this.dir, 'keyring.json'), state);
      }
    } catch (err) {
      // A half-written key (e.g. on a full disk) is worse than none: take back what was written.
      await Promise.all([rm(secret, { force: true }), rm(pub, { force: true })]);
      // And the folders, when this call made them (rmdir leaves a folder that holds other keys).
      for (const d of [dirname(secret), dirname(pub), this.dir]) await rmdir(d).catch(() => {});
      throw err;
    }
    return this.get(fpr);
  }

  /**
   * Imports armored public keys (e.g. `gpg --export --armor`) without trusting them. A key
   * already present is merged, so a revocation or new expiry published later takes effect.
   */
  async import(armored: string): Promise<KeyInfo[]> {
    const openpgp = await loadOpenpgp();
    if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored)) {
      throw usageError('this file holds a secret key; pm imports public keys only', 'export the public half: gpg --export --armor <fingerprint> > key.asc');
    }
    let keys: Key[];
    try {
      keys = await openpgp.readKeys({ armoredKeys: armored });
    } catch (err) {
      throw new PmError('KEY_MALFORMED', `not an armored OpenPGP public key: ${(err as Error).message}`, { hint: 'export it with: gpg --export --armor <fingerprint> > key.asc' });
    }
    const state = await this.readState();
    const own = new Set(await this.fingerprintsIn('secret'));
    const imported: KeyInfo[] = [];
    await this.ensureDirs();
    for (const incoming of keys) {
      const fpr = incoming.getFingerprint().toUpperCase();
      assertAcceptedAlgorithm(incoming.getAlgorithmInfo(), fpr);
      let key = incoming;
      const path = join(this.dir, 'public', `${fpr}.asc`);
      try {
        const existing = await openpgp.readKey({ armoredKey: await readKeyringFile(path) });
        key = await existing.update(incoming);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      await writeFileAtomic(path, key.toPublic().armor(), { mode: 0o644 });
      imported.push(await describeKey(key, { own: own.has(fpr), trusted: own.has(fpr) || fpr in state.trusted, isDefault: state.defaultKey === fpr }));
    }
    return imported;
  }

  /** Marks an imported key as trusted to sign packages; an expired or revoked key is trusted with a warning in `findings`. */
  async trust(ref: string, findings?: Findings): Promise<KeyInfo> {
    const { info } = await this.find(ref);
    if (findings) noteUnusableKey(info, findings);
    const state = await this.readState();
    if (!info.own && !(info.fingerprint in state.trusted)) {
      state.trusted[info.fingerprint] = { trustedAt: new Date().toISOString() };
      await writeJsonAtomic(join(this.dir, 'keyring.json'), state);
    }
    return { ...info, trusted: true };
  }

  /** The armored public key of `ref`, or of the default signing key. */
  async exportPublic(ref?: string): Promise<string> {
    const fpr = ref ?? (await this.defaultSigningKey())?.fingerprint;
    if (!fpr) throw new PmError('KEY_NONE', 'there is no key to export', { hint: "make one with 'pm keys-generate', or name one: pm keys-export <fingerprint>" });
    const { key } = await this.find(fpr);
    return key.armor();
  }

  /** The key plugin-sign uses without --key: the first own key generated. */
  async defaultSigningKey(): Promise<KeyInfo | undefined> {
    const state = await this.readState();
    const own = await this.fingerprintsIn('secret');
    const fpr = state.defaultKey && own.includes(state.defaultKey) ? state.defaultKey : own[0];
    return fpr ? this.get(fpr) : undefined;
  }

  /** The decrypted secret key to sign with (`ref` or the default). */
  async signingKey(ref?: string, passphrase?: string): Promise<{ key: PrivateKey; info: KeyInfo }> {
    const openpgp = await loadOpenpgp();
    const info = ref ? await this.get(ref) : await this.defaultSigningKey();
    if (!info) throw new PmError('KEY_NONE', `no signing key in ${this.dir}`, { hint: "make one with 'pm keys-generate'" });
    if (!info.own) throw new PmError('KEY_NOT_OWN', `key ${info.fingerprint} is not one of your keys (pm has only its public half)`, { hint: "pick one of your keys from 'pm keys-list', or make one with 'pm keys-generate'" });
    if (info.revoked || info.expired) throw new PmError('KEY_UNUSABLE', `key ${info.fingerprint} is ${info.revoked ? 'revoked' : 'expired'} and cannot sign`, { hint: "make a new key with 'pm keys-generate'" });
    const key = await openpgp.readPrivateKey({ armoredKey: await readKeyringFile(join(this.dir, 'secret', `${info.fingerprint}.asc`)) });
    if (key.isDecrypted()) return { key, info };
    if (!passphrase) throw new PmError('KEY_PASSPHRASE_REQUIRED', `key ${info.fingerprint} is protected by a passphrase`, { hint: 'pass it with --passphrase-file <file>' });
    try {
      return { key: await openpgp.decryptKey({ privateKey: key, passphrase }), info };
    } catch {
      throw new PmError('KEY_PASSPHRASE_WRONG', `the passphrase does not unlock key ${info.fingerprint}`, { hint: 'check the file given to --passphrase-file' });
    }
  }
}

/** Opens the keyring of a PM_HOME (nothing is created until a key is written). */
export function openKeyring(home: string): Keyring {
  return new Keyring(home);
}

/** Reads what pm shows about an openpgp key: fingerprint, user IDs, dates, status. */
export async function describeKey(key: Key, flags: { own: boolean; trusted: boolean; isDefault: boolean }): Promise<KeyInfo> {
  const exp = await key.getExpirationTime().catch(() => null);
  const expires = exp instanceof Date ? exp : null;
  let revoked = false;
  try {
    revoked = await key.isRevoked();
  } catch {
    revoked = false;
  }
  return {
    fingerprint: key.getFingerprint().toUpperCase(),
    userIds: key.getUserIDs(),
    algorithm: describeAlgorithm(key.getAlgorithmInfo()),
    created: key.getCreationTime().toISOString(),
    expires: expires ? expires.toISOString() : null,
    expired: expires ? expires.getTime() <= Date.now() : false,
    revoked,
    own: flags.own,
    trusted: flags.trusted,
    default: flags.isDefault,
    keyIds: key.getKeyIDs().map((id) => id.toHex().toUpperCase()),
  };
}
