import { PmError } from '../errors.js';

/** The facts a provenance file vouches for. */
export interface Provenance {
  name: string;
  version: string;
  /** The tarball's file name (no folder). */
  file: string;
  size: number;
  integrity: string;
}

const HEADER = 'pm provenance v1';

/**
 * The text that gets clear-signed: one fact per line, nothing time- or machine-dependent, so
 * identical packages get identical provenance text (and GnuPG can sign the same text).
 */
export function provenanceText(p: Provenance): string {
  return [HEADER, `name: ${p.name}`, `version: ${p.version}`, `file: ${p.file}`, `size: ${p.size}`, `integrity: ${p.integrity}`].join('\n') + '\n';
}

function malformed(message: string): PmError {
  return new PmError('SIGNATURE_MALFORMED', `provenance is malformed: ${message}`, {
    hint: "sign the package again with 'pm plugin-sign', or ask the publisher for a new .prov",
  });
}

/** Parses signed provenance text back into its facts; anything unexpected is a refusal. */
export function parseProvenanceText(text: string): Provenance {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  if (lines[0] !== HEADER) throw malformed(`the signed text does not start with "${HEADER}"`);
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const m = /^([a-z]+): (.+)$/.exec(line);
    if (!m) throw malformed(`unexpected line "${line}"`);
    if (fields.has(m[1])) throw malformed(`"${m[1]}" appears twice`);
    fields.set(m[1], m[2]);
  }
  const get = (k: string) => {
    const v = fields.get(k);
    if (v === undefined) throw malformed(`"${k}" is missing`);
    return v;
  };
  const size = Number(get('size'));
  if (!Number.isSafeInteger(size) || size < 0) throw malformed('"size" is not a whole number');
  const integrity = get('integrity');
  if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(integrity)) throw malformed('"integrity" is not a sha512-<base64> value');
  return { name: get('name'), version: get('version'), file: get('file'), size, integrity };
}
