/** Whether an install source names a bundle: a file or http(s) URL ending in .mcpb/.dxt. */
export function isBundlePath(source: string): boolean {
  if (/^https?:\/\//i.test(source)) {
    try { return /\.(mcpb|dxt)$/i.test(new URL(source).pathname); } catch { return false; }
  }
  return /\.(mcpb|dxt)$/i.test(source);
}
