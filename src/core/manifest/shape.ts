// The semantic checks run even when the schema found problems (every problem at once),
// so they read the manifest defensively through these helpers.

export type Loose = Record<string, unknown>;

/** Whether `v` is a plain object. */
export function isObject(v: unknown): v is Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `v` if it is an array, else an empty one. */
export function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v[key]` if `v` is an object, else undefined. */
export function field(v: unknown, key: string): unknown {
  return isObject(v) ? v[key] : undefined;
}

/** `v` if it is a string, else undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
