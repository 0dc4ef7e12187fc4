import type { Permissions } from '../../manifest/types.js';
import { maskCode } from './code-mask.js';

/** One static-scan hit in one file. */
export interface ScanHit {
  code: string;
  /** 1-based. */
  line: number;
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

interface Rule {
  code: string;
  re: RegExp;
  /** Returns the hit for a match, or undefined when the permissions allow it. */
  judge(m: RegExpExecArray, perms: Permissions): Omit<ScanHit, 'line' | 'code'> | undefined;
}

// Word boundary that also excludes member access (obj.eval) and $-identifiers.
const B = '(?<![.\\w$])';
const MODULE = `(['"])(?:node:)?(child_process|worker_threads|vm)\\1`;

const MODULE_RULES: Record<string, (perms: Permissions) => Omit<ScanHit, 'line' | 'code'> | undefined> = {
  child_process: (p) => (p.childProcess ? undefined : {
    severity: 'error',
    message: 'imports child_process without permissions.childProcess: the sandbox refuses to start programs',
    hint: 'set "childProcess": true in permissions (a full-trust grant users are warned about), or do without it',
  }),
  worker_threads: (p) => (p.worker ? undefined : {
    severity: 'error',
    message: 'imports worker_threads without permissions.worker: the sandbox refuses to start workers',
    hint: 'set "worker": true in permissions (a full-trust grant users are warned about), or do without it',
  }),
  vm: () => ({
    severity: 'warning',
    message: 'imports vm, which compiles code from strings and is not a security boundary',
    hint: 'avoid running generated code; if you must, say why in your README',
  }),
};

const RULES: Rule[] = [
  {
    code: 'SCAN_EVAL',
    re: new RegExp(`${B}eval\\s*\\(`, 'g'),
    judge: () => ({ severity: 'warning', message: 'eval() runs code from a string', hint: 'parse data with JSON.parse, or call the code directly instead of eval' }),
  },
  {
    code: 'SCAN_NEW_FUNCTION',
    re: new RegExp(`${B}(?:new\\s+)?Function\\s*\\(`, 'g'),
    judge: () => ({ severity: 'warning', message: 'new Function() compiles code from a string', hint: 'write the function in source instead of building it from a string' }),
  },
  {
    code: 'SCAN_MODULE',
    re: new RegExp(`${B}(?:require\\s*\\(\\s*|import\\s*\\(\\s*|import\\s+|from\\s*)${MODULE}`, 'g'),
    judge: (m, p) => MODULE_RULES[m[2]](p),
  },
  {
    code: 'SCAN_PROCESS_BINDING',
    re: new RegExp(`${B}process\\s*\\.\\s*(?:binding|_linkedBinding)\\s*\\(`, 'g'),
    judge: () => ({ severity: 'error', message: 'process.binding() reaches Node internals, which the sandbox blocks', hint: 'use the public node: modules instead' }),
  },
  {
    code: 'SCAN_PROCESS_DLOPEN',
    re: new RegExp(`${B}process\\s*\\.\\s*dlopen\\s*\\(`, 'g'),
    judge: (_m, p) => (p.addons ? undefined : { severity: 'error', message: 'process.dlopen() loads a native addon without permissions.addons', hint: 'set "addons": true in permissions (a full-trust grant), or use a JavaScript library' }),
  },
];

const ENV_NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const ENV_PATTERNS = [
  new RegExp(`${B}process\\s*\\.\\s*env\\s*(?:\\?\\.|\\.)\\s*${ENV_NAME}`, 'g'),
  new RegExp(`${B}process\\s*\\.\\s*env\\s*(?:\\?\\.)?\\s*\\[\\s*(['"\`])${ENV_NAME}\\1\\s*\\]`, 'g'),
  // const { A, B: b = 1 } = process.env
  /\{([^{}]*)\}\s*=\s*process\s*\.\s*env\b/g,
];

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Scans one JavaScript/TypeScript source for risky calls and for env names the manifest does not declare. */
export function scanSource(src: string, perms: Permissions = {}): ScanHit[] {
  const { text, code } = maskCode(src);
  const starts = lineStarts(text);
  const hits: ScanHit[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      if (!code[m.index]) continue; // inside a string or a regex
      const verdict = rule.judge(m, perms);
      if (verdict) hits.push({ code: rule.code === 'SCAN_MODULE' ? `SCAN_${m[2].toUpperCase()}` : rule.code, line: lineOf(starts, m.index), ...verdict });
    }
  }
  const declared = new Set(perms.env ?? []);
  const reportEnv = (name: string, offset: number) => {
    if (declared.has(name)) return;
    hits.push({
      code: 'SCAN_UNDECLARED_ENV',
      line: lineOf(starts, offset),
      severity: 'warning',
      message: `reads process.env.${name}, which permissions.env does not list: the sandbox passes only listed variables`,
      hint: `add "${name}" to permissions.env`,
    });
  };
  for (const re of ENV_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const at = m.index;
      if (m[0].startsWith('{')) {
        const eq = m.index + m[0].lastIndexOf('process');
        if (!code[eq]) continue;
        for (const part of m[1].split(',')) {
          const name = part.split(/[:=]/)[0].trim();
          if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) reportEnv(name, m.index);
        }
      } else if (code[at]) {
        reportEnv(m[m.length - 1], at);
      }
    }
  }
  return hits.sort((a, b) => a.line - b.line);
}
