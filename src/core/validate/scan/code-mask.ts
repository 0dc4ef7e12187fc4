/** Keywords after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await']);
const REGEX_AFTER_CHAR = new Set([...'(,=:[!&|?{};+-*%<>~^']);

/** [A-Za-z0-9_$], by char code: the tokenizer's hot path. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
}

/** Space, tab, CR, LF, vertical tab, form feed. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export interface CodeMask {
  /** The source with comments blanked (newlines kept), so offsets and lines are unchanged. */
  text: string;
  /** 1 where a character is code, 0 inside a string, template text, regular expression or comment. */
  code: Uint8Array;
}

/**
 * A light JavaScript/TypeScript tokenizer: marks which characters are code, so that the
 * static scan can ignore `eval(` inside a comment or a string while still reading the
 * module names in `require('child_process')`. It handles line/block comments, the three
 * quote styles, `${…}` nesting in templates, and regex literals by the previous token.
 */
export function maskCode(src: string): CodeMask {
  const n = src.length;
  const code = new Uint8Array(n);
  // Comment ranges, blanked when the text is assembled at the end.
  const comments: [number, number][] = [];
  // Each open template literal pushes the brace depth at which its `${` started.
  const templates: number[] = [];
  let depth = 0;
  let prevChar = ''; // last significant code character
  let prevWord = ''; // last identifier, if it ended right before prevChar
  let i = 0;
  if (src.startsWith('#!')) {
    while (i < n && src[i] !== '\n') i++;
    comments.push([0, i]);
  }

  const blank = (from: number, to: number) => {
    comments.push([from, to]);
  };
  const readString = (quote: string): void => {
    i++;
    while (i < n && src[i] !== quote && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
    i++;
  };
  // Reads template text from i until `${` (returns true) or the closing backtick.
  const readTemplate = (): boolean => {
    while (i < n) {
      if (src[i] === '\\') i += 2;
      else if (src[i] === '`') { i++; return false; }
      else if (src[i] === '$' && src[i + 1] === '{') { i += 2; return true; }
      else i++;
    }
    return false;
  };

  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      const start = i;
      const end = src.indexOf('\n', i);
      i = end < 0 ? n : end;
      blank(start, i);
      continue;
    }
    if (c === '/' && d === '*') {
      const start = i;
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      blank(start, i);
      continue;
    }
    if (c === "'" || c === '"') {
      readString(c);
      prevChar = c;
      prevWord = '';
      continue;
    }
    if (c === '`' || (c === '}' && templates.length && templates[templates.length - 1] === depth)) {
      if (c === '}') templates.pop();
      else i++;
      if (c === '}') i++;
      if (readTemplate()) templates.push(depth);
      prevChar = '`';
      prevWord = '';
      continue;
    }
    if (c === '/' && (prevChar === '' || REGEX_AFTER_CHAR.has(prevChar) || REGEX_AFTER_WORD.has(prevWord))) {
      i++;
      let inClass = false;
      while (i < n && src[i] !== '\n') {
        if (src[i] === '\\') { i += 2; continue; }
        if (src[i] === '[') inClass = true;
        else if (src[i] === ']') inClass = false;
        else if (src[i] === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && isWordChar(src.charCodeAt(i))) i++; // flags
      prevChar = '/';
      prevWord = '';
      continue;
    }
    code[i] = 1;
    if (isWordChar(src.charCodeAt(i))) {
      const start = i;
      while (i < n && isWordChar(src.charCodeAt(i))) code[i++] = 1;
      prevWord = src.slice(start, i);
      prevChar = src[i - 1];
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (!isSpace(src.charCodeAt(i))) {
      prevChar = c;
      prevWord = '';
    }
    i++;
  }
  let text = '';
  let from = 0;
  for (const [a, b] of comments) {
    const comment = src.slice(a, b);
    // Line comments (the common case) hold no newline: one repeat instead of a regex per character.
    text += src.slice(from, a) + (comment.includes('\n') ? comment.replace(/[^\n]/g, ' ') : ' '.repeat(b - a));
    from = b;
  }
  return { text: text + src.slice(from), code };
}
