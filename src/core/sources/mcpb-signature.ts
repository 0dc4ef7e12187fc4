/**
 * Verifying an MCP Bundle's PKCS#7 signature (DESIGN §6b) with pkijs, before anything is
 * extracted, and the X.509 signers the user trusts (`pm keys-trust-x509`, PM_HOME/keys/x509/).
 */
import { createHash, webcrypto } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PmError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never }));

/** What pm found out about a bundle's signature. */
export interface BundleSignature {
  /** `signed`: by a certificate that is not its own issuer; `self-signed`: by one that is. */
  status: 'signed' | 'self-signed' | 'unsigned';
  /** The signer certificate's subject, e.g. `CN=Example, O=Example Inc`. */
  subject?: string;
  /** SHA-256 of the signer certificate (hex). */
  fingerprint?: string;
  /** Whether the signer is, or chains to, a certificate trusted with keys-trust-x509. */
  trusted: boolean;
}

const NAMES: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '1.2.840.113549.1.9.1': 'E' };

function arrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** An X.509 name as `CN=…, O=…`. */
function nameText(n: pkijs.RelativeDistinguishedNames): string {
  return n.typesAndValues.map((t) => `${NAMES[t.type] ?? t.type}=${String(t.value.valueBlock.value)}`).join(', ');
}

function der(c: pkijs.Certificate): Buffer {
  return Buffer.from(c.toSchema(true).toBER(false));
}

/** SHA-256 fingerprint (hex) of a certificate. */
function fingerprintOf(c: pkijs.Certificate): string {
  return createHash('sha256').update(der(c)).digest('hex');
}

/** Parses one PEM or DER certificate. */
export function parseCertificate(bytes: Buffer, what: string): pkijs.Certificate {
  const text = bytes.toString('latin1');
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
  const body = m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : bytes;
  try {
    return pkijs.Certificate.fromBER(arrayBuffer(body));
  } catch (err) {
    throw new PmError('X509_CERT_INVALID', `${what} is not an X.509 certificate (${(err as Error).message})`, { hint: 'give a PEM file (-----BEGIN CERTIFICATE-----) or a DER certificate', data: { file: what } });
  }
}

function x509Dir(home: string): string {
  return join(home, 'keys', 'x509');
}

async function trustedCertificates(home: string): Promise<pkijs.Certificate[]> {
  const names = await readdir(x509Dir(home)).catch(() => [] as string[]);
  const out: pkijs.Certificate[] = [];
  for (const n of names.filter((x) => x.endsWith('.pem')).sort()) out.push(parseCertificate(await readFile(join(x509Dir(home), n)), n));
  return out;
}

/** `pm keys-trust-x509 <cert>`: records a certificate whose bundles (and the bundles of certificates it issued) pm trusts. */
export async function trustX509(file: string, opts: { home: string }): Promise<{ subject: string; fingerprint: string; selfSigned: boolean }> {
  const cert = parseCertificate(await readFile(file), file);
  const fingerprint = fingerprintOf(cert);
  await mkdir(x509Dir(opts.home), { recursive: true, mode: 0o700 });
  const pem = `-----BEGIN CERTIFICATE-----\n${der(cert).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  await writeFileAtomic(join(x509Dir(opts.home), `${fingerprint}.pem`), pem, { mode: 0o644 });
  return { subject: nameText(cert.subject), fingerprint, selfSigned: nameText(cert.subject) === nameText(cert.issuer) };
}

function tampered(file: string, why: string): PmError {
  return new PmError('MCPB_SIGNATURE_INVALID', `refused ${file}: its signature does not verify (${why})`, {
    hint: 'the bundle was changed after it was signed, or the download is damaged; do not install it', data: { file },
  });
}

/**
 * Verifies the detached PKCS#7 signature `pkcs7` over `zip`; throws MCPB_SIGNATURE_INVALID (exit 4)
 * when it does not verify, whoever the signer is. Says whether the signer is trusted; pm decides
 * "self-signed" itself (issuer = subject and the certificate verifies with its own key).
 */
export async function verifyBundleSignature(zip: Buffer, pkcs7: Buffer, file: string, opts: { home: string }): Promise<BundleSignature> {
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(arrayBuffer(pkcs7));
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not PKCS#7 signed data');
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (err) {
    throw tampered(file, (err as Error).message);
  }
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (signed.signerInfos.length !== 1 || certs.length === 0) throw tampered(file, 'it must have one signer and its certificate');
  let signer: pkijs.Certificate | undefined;
  try {
    const r = await signed.verify({ signer: 0, data: arrayBuffer(zip), extendedMode: true, checkChain: false });
    if (!r.signatureVerified) throw new Error('the signature does not match the content');
    signer = r.signerCertificate ?? undefined;
  } catch (err) {
    const e = err as { message?: string; signatureVerified?: boolean };
    throw tampered(file, e.message ?? 'the signature does not match the content');
  }
  if (!signer) throw tampered(file, 'no signer certificate');
  const subject = nameText(signer.subject);
  const selfSigned = subject === nameText(signer.issuer) && (await signer.verify().catch(() => false));
  const trust = await trustedCertificates(opts.home);
  const fingerprint = fingerprintOf(signer);
  let trusted = trust.some((t) => fingerprintOf(t) === fingerprint);
  if (!trusted && trust.length) {
    const chain = new pkijs.CertificateChainValidationEngine({ trustedCerts: trust, certs: [...certs.filter((c) => fingerprintOf(c) !== fingerprint), signer] });
    trusted = (await chain.verify().catch(() => ({ result: false }))).result === true;
  }
  return { status: selfSigned ? 'self-signed' : 'signed', subject, fingerprint, trusted };
}
