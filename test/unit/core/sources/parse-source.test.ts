import { describe, expect, it } from 'vitest';
import { parseInstallSource } from '../../../../src/core/sources/parse-source.js';

describe('parseInstallSource', () => {
  it('reads npm: specs with and without scope and range', () => {
    expect(parseInstallSource('npm:@modelcontextprotocol/server-filesystem')).toEqual({ type: 'npm', spec: '@modelcontextprotocol/server-filesystem', package: '@modelcontextprotocol/server-filesystem' });
    expect(parseInstallSource('npm:@scope/pkg@^1.2')).toEqual({ type: 'npm', spec: '@scope/pkg@^1.2', package: '@scope/pkg' });
    expect(parseInstallSource('npm:pkg@1.0.0')).toEqual({ type: 'npm', spec: 'pkg@1.0.0', package: 'pkg' });
  });

  it('reads pypi: specs with and without ==version', () => {
    expect(parseInstallSource('pypi:mcp-server-fetch')).toEqual({ type: 'pypi', spec: 'mcp-server-fetch', package: 'mcp-server-fetch' });
    expect(parseInstallSource('pypi:mcp-server-fetch==2025.4.7')).toEqual({ type: 'pypi', spec: 'mcp-server-fetch==2025.4.7', package: 'mcp-server-fetch', version: '2025.4.7' });
  });

  it('passes folders, tarballs, URLs, drive letters and bare names to the store', () => {
    for (const s of ['./notes', 'notes-1.0.0.tgz', 'https://example.org/x.tgz', 'HTTP://example.org/x.tgz', 'C:\\plugins\\notes', 'notes']) {
      expect(parseInstallSource(s)).toEqual({ type: 'path', path: s });
    }
  });

  it('refuses an unknown prefix, listing the known ones (exit 2)', () => {
    expect(() => parseInstallSource('xyz:thing')).toThrow(expect.objectContaining({
      code: 'SOURCE_PREFIX_UNKNOWN', message: '"xyz:" is not a source pm knows (in "xyz:thing")', hint: expect.stringContaining('npm:<package>[@<range>], pypi:<package>[==<version>]'),
    }));
  });

  it('refuses npm: and pypi: with no package', () => {
    expect(() => parseInstallSource('npm:')).toThrow(expect.objectContaining({ code: 'SOURCE_PREFIX_UNKNOWN', message: expect.stringContaining('names no package') }));
    expect(() => parseInstallSource('pypi: ')).toThrow(expect.objectContaining({ code: 'SOURCE_PREFIX_UNKNOWN' }));
  });
});

describe('parseInstallSource registry:', () => {
  it('reads registry:<name>[@<version>] and registry:file:<path>', () => {
    expect(parseInstallSource('registry:io.github.o/w@1.2.0')).toEqual({ type: 'registry', spec: 'registry:io.github.o/w@1.2.0', name: 'io.github.o/w', version: '1.2.0' });
    expect(parseInstallSource('registry:io.github.o/w')).toEqual({ type: 'registry', spec: 'registry:io.github.o/w', name: 'io.github.o/w' });
    expect(parseInstallSource('registry:file:./server.json')).toEqual({ type: 'registry', spec: 'registry:file:./server.json', file: './server.json' });
  });
  it('refuses a name that is not reverse-DNS with one slash', () => {
    expect(() => parseInstallSource('registry:weather')).toThrow(expect.objectContaining({ code: 'SOURCE_PREFIX_UNKNOWN' }));
  });
});
