import { describe, expect, it } from 'vitest';
import { describeSource } from '../../../../src/core/store/describe-source.js';

const notes = { name: 'notes', version: '1.2.0', integrity: 'sha512-VgilEvhKaMyCfj0drzHBIUBcGn4Zm2uwCI2A1TnK8xsHjYEGHqqHz8+rcVzeWSpcA34d98klah0hzFElZpKI1w==' };

describe('describeSource', () => {
  it('says where an installed plugin came from in words, not as JSON', () => {
    expect(describeSource({ type: 'dir', path: '/home/ada/notes' }, { ...notes, integrity: null })).toBe('folder /home/ada/notes');
    expect(describeSource({ type: 'link', path: '/home/ada/notes' }, { ...notes, integrity: null })).toBe('linked folder /home/ada/notes');
    expect(describeSource({ type: 'tgz', path: '/tmp/notes-1.2.0.tgz' }, notes)).toBe('tarball /tmp/notes-1.2.0.tgz sha512-VgilEvhKaMyC…');
    expect(describeSource({ type: 'url', url: 'https://example.org/notes-1.2.0.tgz' }, notes)).toBe('download https://example.org/notes-1.2.0.tgz sha512-VgilEvhKaMyC…');
    expect(describeSource({ type: 'marketplace', marketplace: 'acme' }, notes)).toBe('registry acme notes@1.2.0');
    expect(describeSource({ type: 'npm', spec: 'npm:@acme/echo@^1', resolved: '1.2.0' }, notes)).toBe('npm npm:@acme/echo@^1 (resolved 1.2.0)');
    expect(describeSource({ type: 'local', spec: 'python3 server.py' }, notes)).toBe('local command python3 server.py (mcp-add)');
  });
});
