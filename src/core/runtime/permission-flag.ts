/** The flag that turns on Node's permission model on this Node, or undefined when it has none. */
export function permissionFlag(): '--permission' | '--experimental-permission' | undefined {
  // Checked at run time: Node 20 only knows the experimental flag, Node 22+ has --permission.
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

/** Whether this Node enforces network permissions (`--allow-net`, Node 25+). */
export function networkPermissionEnforced(): boolean {
  return process.allowedNodeEnvironmentFlags.has('--allow-net');
}
