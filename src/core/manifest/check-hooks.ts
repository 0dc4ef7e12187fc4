import { BUILTIN_EVENTS, CUSTOM_EVENT_PATTERN, isBuiltinEvent } from '../hooks/events.js';
import type { ManifestCheckContext } from './check-context.js';
import { didYouMean } from './did-you-mean.js';
import { childPath } from './json-path.js';
import { arrayOf, field, isObject, str } from './shape.js';

/**
 * Declared events are `<this plugin>:<name>` and not built-in; each hook's event is
 * built-in, declared here, or a custom event of a plugin listed in dependencies.
 */
export function checkHooks(ctx: ManifestCheckContext): void {
  const { manifest: m, findings } = ctx;
  const plugin = str(m.name);
  const contributes = field(m, 'contributes');
  const declared = arrayOf(field(contributes, 'events')).filter((e): e is string => typeof e === 'string');
  const deps = field(m, 'dependencies');

  declared.forEach((event, i) => {
    const where = childPath('contributes.events', i);
    if (isBuiltinEvent(event)) {
      findings.error('MANIFEST_EVENT_BUILTIN', `"${event}" is a built-in event; a plugin cannot declare it`, { where, hint: `remove it, or name it ${plugin ?? '<plugin>'}:<event>` });
    } else if (plugin && CUSTOM_EVENT_PATTERN.test(event) && !event.startsWith(plugin + ':')) {
      findings.error('MANIFEST_EVENT_PREFIX', `"${event}" must start with this plugin's name`, { where, hint: `rename it ${plugin}:${event.split(':')[1]}` });
    }
  });

  arrayOf(field(contributes, 'hooks')).forEach((hook, i) => {
    const event = str(field(hook, 'event'));
    if (!event) return;
    const where = `${childPath('contributes.hooks', i)}.event`;
    if (isBuiltinEvent(event) || declared.includes(event)) return;
    const owner = event.includes(':') ? event.slice(0, event.indexOf(':')) : undefined;
    if (owner && CUSTOM_EVENT_PATTERN.test(event) && owner !== plugin && isObject(deps) && Object.hasOwn(deps, owner)) return;
    const guess = didYouMean(event, [...Object.keys(BUILTIN_EVENTS), ...declared]);
    const message = owner === plugin
      ? `"${event}" is not declared in contributes.events`
      : guess
        ? `"${event}" is not a known event; did you mean "${guess}"?`
        : `"${event}" is not a known event`;
    const hint = owner === plugin
      ? `add "${event}" to contributes.events`
      : owner && CUSTOM_EVENT_PATTERN.test(event) && !guess
        ? `add "${owner}" to dependencies to hook its events`
        : `use a built-in event (${Object.keys(BUILTIN_EVENTS).join(', ')}) or one declared in contributes.events`;
    findings.error('MANIFEST_HOOK_EVENT', message, { where, hint });
  });

  arrayOf(field(contributes, 'hooks')).forEach((hook, i) => {
    const event = str(field(hook, 'event'));
    const glob = field(field(hook, 'match'), 'tool');
    const where = `${childPath('contributes.hooks', i)}.match.tool`;
    if (event && !event.startsWith('tool:') && glob !== undefined) {
      findings.warn('MANIFEST_HOOK_MATCH', `match.tool has no effect on "${event}"`, {
        where,
        hint: 'match.tool filters tool:before-call and tool:after-call; remove it here',
      });
    } else if (typeof glob === 'string' && glob !== '' && !glob.includes('.') && !glob.includes('*')) {
      // Tools are named <plugin>.<tool> inside pm, so a bare name never matches.
      findings.warn('MANIFEST_HOOK_MATCH', `"${glob}" matches no tool: tools are named <plugin>.<tool>`, {
        where,
        hint: `use "${plugin ?? '<plugin>'}.${glob}" for this plugin's tool, or "*.${glob}" for any plugin's`,
      });
    }
  });
}
