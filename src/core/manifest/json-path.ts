/** Appends a key or index to a JSON path written the way people read it: `contributes.tools[0].name`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
  if (safe !== key) return `${parent}[${safe}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Turns an ajv instancePath (`/contributes/tools/0/name`) into `contributes.tools[0].name`. */
export function fromPointer(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, seg) => childPath(path, /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : seg), '');
}
