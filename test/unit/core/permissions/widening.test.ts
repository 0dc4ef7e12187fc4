import { describe, expect, it } from 'vitest';
import { widenedPermissions } from '../../../../src/core/permissions/widening.js';

describe('widenedPermissions', () => {
  it('names each new path, host, variable and capability, and a larger memory cap', () => {
    expect(widenedPermissions(
      { fs: { read: ['~/docs'] }, network: ['a.example'], env: ['A'], memoryMb: 64 },
      { fs: { read: ['~/docs', '~/more'], write: ['$DATA/x'] }, network: ['a.example', 'b.example'], env: ['A', 'B'], childProcess: true, memoryMb: 128 },
    )).toEqual(['fs.read: + ~/more', 'fs.write: + $DATA/x', 'network: + b.example', 'env: + B', 'childProcess: no → yes', 'memoryMb: 64 → 128']);
  });

  it('says when network is new, and when it becomes any host', () => {
    expect(widenedPermissions({}, { network: ['a.example'] })).toEqual(['network: + a.example (it had no network)']);
    expect(widenedPermissions({ network: ['a.example'] }, { network: true })).toEqual(['network: + any host']);
  });

  it('finds nothing when an update keeps or narrows the permissions', () => {
    expect(widenedPermissions({ fs: { read: ['~/a', '~/b'] }, network: true, env: ['A'] }, { fs: { read: ['~/a'] }, network: ['x.example'], env: [] })).toEqual([]);
    expect(widenedPermissions(undefined, undefined)).toEqual([]);
  });
});
