import { createReadStream } from 'node:fs';
import { PmError } from '../errors.js';

const MANIFEST_PATH = 'package/plugin.json';
const MAX_MANIFEST_BYTES = 1 << 20;

/**
 * Reads and parses `package/plugin.json` from a .tgz without extracting anything. Stops reading
 * as soon as the manifest is found (pm puts it first, so this touches only the first block).
 */
export async function readTarballManifest(tgz: string): Promise<Record<string, unknown>> {
  const { Parser } = await import('tar');
  const text = await new Promise<string | undefined>((resolve, reject) => {
    const input = createReadStream(tgz);
    let settled = false;
    const done = (err: Error | undefined, value?: string) => {
      if (settled) return;
      settled = true;
      input.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const parser = new Parser({
      strict: true,
      onReadEntry(entry) {
        const path = entry.path.replace(/^\.\//, '');
        if (path !== MANIFEST_PATH || entry.type !== 'File') {
          entry.resume();
          return;
        }
        if (entry.size > MAX_MANIFEST_BYTES) {
          done(new PmError('PACKAGE_MANIFEST_TOO_LARGE', `${MANIFEST_PATH} in ${tgz} is larger than 1 MiB`, { kind: 'verification', hint: 'this is not a pm package' }));
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => done(undefined, Buffer.concat(chunks).toString('utf8')));
      },
    });
    parser.on('error', (err: Error) => done(new PmError('PACKAGE_CORRUPT', `${tgz} is not a readable .tgz: ${err.message}`, { kind: 'verification', hint: 'download or package it again', cause: err })));
    parser.on('end', () => done(undefined, undefined));
    input.on('error', (err) => done(err));
    input.pipe(parser);
  });
  if (text === undefined) {
    throw new PmError('PACKAGE_NO_MANIFEST', `${tgz} has no ${MANIFEST_PATH}`, { kind: 'verification', hint: "this is not a pm package; make one with 'pm plugin-package'" });
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new PmError('PACKAGE_MANIFEST_INVALID', `${MANIFEST_PATH} in ${tgz} is not a JSON object: ${(err as Error).message}`, { kind: 'verification', hint: 'package it again from a valid plugin folder' });
  }
}
