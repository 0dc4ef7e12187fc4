/** Longest piece of a plugin's output handed on without a newline. */
const MAX_LINE = 8192;

/** Splits a stream into lines and hands each to `fn`. */
export function lines(stream: NodeJS.ReadableStream | null, fn: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      fn(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    if (buf.length > MAX_LINE) { fn(buf); buf = ''; }
  });
  stream.on('end', () => { if (buf) fn(buf); });
}
