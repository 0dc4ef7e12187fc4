import { describe, expect, it } from 'vitest';
import { scanSource } from '../../../../../src/core/validate/scan/static-scan.js';

const codes = (src: string, perms = {}) => scanSource(src, perms).map((h) => `${h.line} ${h.code} ${h.severity}`);

describe('scanSource', () => {
  it('finds eval and new Function, but not obj.eval or identifiers that contain them', () => {
    expect(codes('eval(x)\nobj.eval(x)\nmyeval(x)\nconst f = new Function("a", "b")\nconst g = Function("x")\nx instanceof Function')).toEqual([
      '1 SCAN_EVAL warning',
      '4 SCAN_NEW_FUNCTION warning',
      '5 SCAN_NEW_FUNCTION warning',
    ]);
  });

  it('finds child_process however it is imported', () => {
    const src = [
      "import cp from 'child_process';",
      'import { spawn } from "node:child_process";',
      "const a = require('child_process');",
      "const b = await import('node:child_process');",
      "export * from 'child_process';",
      "import 'child_process';",
    ].join('\n');
    expect(codes(src)).toEqual([1, 2, 3, 4, 5, 6].map((l) => `${l} SCAN_CHILD_PROCESS error`));
  });

  it('allows child_process, worker_threads and addons when the permission is granted', () => {
    const src = "import 'child_process';\nimport 'worker_threads';\nprocess.dlopen(m, f);";
    expect(codes(src)).toEqual(['1 SCAN_CHILD_PROCESS error', '2 SCAN_WORKER_THREADS error', '3 SCAN_PROCESS_DLOPEN error']);
    expect(codes(src, { childProcess: true, worker: true, addons: true })).toEqual([]);
  });

  it('always warns about vm, which is no sandbox', () => {
    expect(codes("import vm from 'node:vm';", { childProcess: true, worker: true })).toEqual(['1 SCAN_VM warning']);
  });

  it('reports process.binding as an error', () => {
    expect(codes("process.binding('fs');\nprocess._linkedBinding('x');")).toEqual(['1 SCAN_PROCESS_BINDING error', '2 SCAN_PROCESS_BINDING error']);
  });

  it('reports env names that permissions.env does not list, in every spelling', () => {
    const src = "process.env.A;\nprocess.env['B'];\nprocess.env[\"C\"];\nconst { D, E: e = 1 } = process.env;\nprocess.env.KEPT;\nprocess.env?.F;";
    expect(scanSource(src, { env: ['KEPT'] }).map((h) => `${h.line} ${h.message.split(',')[0]}`)).toEqual([
      '1 reads process.env.A',
      '2 reads process.env.B',
      '3 reads process.env.C',
      '4 reads process.env.D',
      '4 reads process.env.E',
      '6 reads process.env.F',
    ]);
  });

  it('ignores everything inside comments, strings, templates and regular expressions', () => {
    const src = [
      '// eval(x) and require("child_process")',
      '/* process.binding("fs") */',
      "const s = 'new Function(\"x\")';",
      'const t = `process.env.SECRET ${1}`;',
      'const r = /eval\\(/;',
    ].join('\n');
    expect(codes(src)).toEqual([]);
  });

  it('scans code inside template ${} expressions', () => {
    expect(codes('const t = `${eval("1")}`;')).toEqual(['1 SCAN_EVAL warning']);
  });

  it('gives each hit an actionable hint', () => {
    const [hit] = scanSource("require('child_process')");
    expect(hit.message).toBe('imports child_process without permissions.childProcess: the sandbox refuses to start programs');
    expect(hit.hint).toBe('set "childProcess": true in permissions (a full-trust grant users are warned about), or do without it');
  });
});
