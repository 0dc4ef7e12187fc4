/** How handlers of a hook event run (DESIGN §5). */
export type HookKind = 'filter' | 'guard' | 'action';

/**
 * The built-in hook events and their kinds: the one list the manifest validator, the
 * dispatcher and `pm hook-list` read. `tool:before-call` runs its guards, then its filters.
 */
export const BUILTIN_EVENTS = {
  'tool:before-call': 'guard',
  'tool:after-call': 'filter',
  'prompt:before-render': 'filter',
  'prompt:after-render': 'filter',
  'resource:after-read': 'filter',
  'plugin:installed': 'action',
  'plugin:enabled': 'action',
  'plugin:disabled': 'action',
  'plugin:uninstalled': 'action',
  'server:started': 'action',
  'server:stopping': 'action',
} as const satisfies Record<string, HookKind>;

export type BuiltinEvent = keyof typeof BUILTIN_EVENTS;

/** Custom events are `<plugin>:<name>`, declared in `contributes.events`, and run as actions. */
export const CUSTOM_EVENT_PATTERN = /^[a-z][a-z0-9-]{0,49}:[a-z][a-z0-9-]*$/;

/** Whether `name` is one of the built-in events. */
export function isBuiltinEvent(name: string): name is BuiltinEvent {
  return Object.hasOwn(BUILTIN_EVENTS, name);
}
