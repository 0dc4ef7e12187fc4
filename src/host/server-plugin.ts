/**
 * A server plugin as the host serves it (DESIGN §2 "Server plugins"): its tools come from the pin
 * (pins/<name>.json, or the manifest's contributes.tools), never from a start; its resources and
 * prompts from what the server last reported; calls go to its ServerProcessLike under the safe
 * names pm gives, mapped back to the server's own names.
 */
import type { CallToolResult, GetPromptResult, Prompt, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { PmError } from '../core/errors.js';
import { renamedOnly, safeNames, type SafeNameMapping } from '../core/server/safe-name.js';
import {
  canonicalJson, diffTools, hashTools, makePin, normalizeTools, withReported, writePin,
  type PinnedTool, type SeenLists, type ToolPin, type ToolsDiff,
} from '../core/store/pins.js';
import type { HostPlugin } from './manifest-types.js';
import type { CallOptions } from './process/options.js';
import type { ServerCatalog, ServerListKind, ServerProcessEvents, ServerProcessLike } from './server/types.js';

/** Makes the process of one server plugin (the host's default starts the real ServerProcess). */
export type ServerProcessFactory = (plugin: HostPlugin, events: ServerProcessEvents) => ServerProcessLike;

export interface ServerPluginDeps {
  /** PM_HOME: where the pin is written (none: the pin lives in memory only). */
  home?: string;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** The lists this plugin serves changed: a pin was recorded, or resources or prompts were re-read. */
  onListsChanged(plugin: string, kinds: ServerListKind[]): void;
  /** A crash of the server process, or tools that differ from the pin (webhooks). */
  onEvent?(kind: 'crashed' | 'failed' | 'tools-changed', message: string, details?: Record<string, unknown>): void;
}

/** What plugin-info and the host report of a server plugin's pin. */
export interface PinStatus {
  source: 'declared' | 'recorded' | 'none';
  pinnedAt?: string;
  hash?: string;
  tools: number;
  /** Set when a start reported other tools than the pinned ones. */
  changed?: ToolsDiff & { detectedAt?: string };
  renamed: { tools: SafeNameMapping[]; prompts: SafeNameMapping[] };
}

/** An RFC 6570 template as a regex over whole URIs: `{x}` one segment, `{+x}`/`{#x}` anything, `{?x}`/`{&x}` an optional query. */
export function templatePattern(template: string): RegExp {
  let src = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([^}]*)\}/g)) {
    src += template.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const op = m[1]!.charAt(0);
    src += op === '+' || op === '#' ? '.+' : op === '?' || op === '&' ? '(?:[?&].*)?' : '[^/?#]+';
    last = m.index! + m[0].length;
  }
  return new RegExp(src + template.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$');
}

const EMPTY_SEEN: Omit<SeenLists, 'recordedAt'> = { resources: [], resourceTemplates: [], prompts: [] };

export class ServerPlugin {
  readonly proc: ServerProcessLike;
  private readonly declared?: PinnedTool[];
  private pin?: ToolPin;
  private tools = new Map<string, PinnedTool>();
  private toolNames = new Map<string, string>();
  private prompts = new Map<string, Prompt>();
  private promptNames = new Map<string, string>();
  private templates: RegExp[] = [];
  private observing: Promise<void> = Promise.resolve();
  private pinning?: Promise<boolean>;
  private pinFailed = false;

  constructor(readonly plugin: HostPlugin, factory: ServerProcessFactory, pin: ToolPin | undefined, private readonly deps: ServerPluginDeps) {
    const declared = plugin.manifest.contributes?.tools;
    if (declared) this.declared = normalizeTools(declared);
    // A pin file from an older manifest gives way to the declared list (keeping what was seen).
    this.pin = pin && this.declared && pin.hash !== hashTools(this.declared)
      ? { ...makePin(plugin.name, plugin.manifest.version, this.declared), ...(pin.seen ? { seen: pin.seen } : {}) }
      : pin;
    this.index();
    this.proc = factory(plugin, {
      onStarted: (catalog) => void this.observe(catalog),
      onListChanged: (kind) => void this.reread(kind),
      onCrashed: (info) => this.deps.onEvent?.(info.failed ? 'failed' : 'crashed', info.message),
    });
  }

  get name(): string {
    return this.plugin.name;
  }

  /** The pinned tools: the declared list, else the recorded pin; undefined before the first pin. */
  private pinned(): PinnedTool[] | undefined {
    return this.declared ?? this.pin?.tools;
  }

  /** Whether the tools are known without starting the server. */
  get isPinned(): boolean {
    return this.pinned() !== undefined;
  }

  /** Rebuilds the safe-name maps and resource patterns from the pin and the seen lists. */
  private index(): void {
    const tools = this.pinned() ?? [];
    this.toolNames = safeNames(this.name, tools.map((t) => t.name));
    const byName = new Map(tools.map((t) => [t.name, t]));
    this.tools = new Map([...this.toolNames].map(([safe, name]) => [safe, byName.get(name)!]));
    const seen = this.pin?.seen ?? EMPTY_SEEN;
    const prompts = seen.prompts as Prompt[];
    this.promptNames = safeNames(this.name, prompts.map((p) => p.name));
    const promptByName = new Map(prompts.map((p) => [p.name, p]));
    this.prompts = new Map([...this.promptNames].map(([safe, name]) => [safe, promptByName.get(name)!]));
    this.templates = seen.resourceTemplates.flatMap((t) => (typeof t.uriTemplate === 'string' ? [templatePattern(t.uriTemplate)] : []));
  }

  /** The pinned tools under their safe names. */
  listTools(): { name: string; tool: PinnedTool }[] {
    return [...this.tools].map(([name, tool]) => ({ name, tool }));
  }

  /** The resources and templates the server last reported (templates keep `{…}` in `uri`). */
  listResources(): { uri: string; name: string; title?: string; description?: string; mimeType?: string }[] {
    const seen = this.pin?.seen ?? EMPTY_SEEN;
    const meta = (r: Record<string, unknown>, uri: string) => ({
      uri, name: typeof r.name === 'string' ? r.name : uri,
      ...(typeof r.title === 'string' ? { title: r.title } : {}),
      ...(typeof r.description === 'string' ? { description: r.description } : {}),
      ...(typeof r.mimeType === 'string' ? { mimeType: r.mimeType } : {}),
    });
    return [
      ...seen.resources.flatMap((r) => (typeof r.uri === 'string' ? [meta(r, r.uri)] : [])),
      ...seen.resourceTemplates.flatMap((t) => (typeof t.uriTemplate === 'string' ? [meta(t, t.uriTemplate)] : [])),
    ];
  }

  /** The prompts the server last reported, under their safe names. */
  listPrompts(): { name: string; prompt: Prompt }[] {
    return [...this.prompts].map(([name, prompt]) => ({ name, prompt }));
  }

  hasTool(safe: string): boolean {
    return this.toolNames.has(safe);
  }

  /** Whether a resource URI is one the server listed, or fits one of its templates. */
  providesResource(uri: string): boolean {
    return (this.pin?.seen?.resources ?? []).some((r) => r.uri === uri) || this.templates.some((re) => re.test(uri));
  }

  /** The refusal of a call to a tool the server offers but the pin does not hold; undefined when it is simply unknown. */
  unpinnedError(safe: string): PmError | undefined {
    const offered = this.pin?.changed?.tools ?? [];
    const names = safeNames(this.name, offered.map((t) => t.name));
    const name = names.get(safe);
    if (name === undefined) return undefined;
    return new PmError('TOOL_NOT_PINNED', `${this.name}.${safe} is not in the pinned tool list of ${this.name}: the server's tools changed since they were pinned`, {
      hint: `review the change with 'pm plugin-tools-accept ${this.name}'`, data: { plugin: this.name, tool: name },
    });
  }

  /** tools/call to the server under its own name for `safe`. */
  callTool(safe: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    return this.proc.callTool(this.toolNames.get(safe) ?? safe, args, options);
  }

  readResource(uri: string, options: CallOptions): Promise<ReadResourceResult> {
    return this.proc.readResource(uri, options);
  }

  getPrompt(safe: string, args: Record<string, string>, options: CallOptions): Promise<GetPromptResult> {
    const name = this.promptNames.get(safe);
    if (name === undefined) return Promise.reject(new PmError('PROMPT_NOT_FOUND', `plugin ${this.name} has no prompt ${safe}`, { data: { plugin: this.name, prompt: safe } }));
    return this.proc.getPrompt(name, args, options);
  }

  /**
   * Starts the server once when nothing is pinned yet, and records its tools; true when it did.
   * One attempt at a time, and none after a failed one (until the plugin is re-registered), so a
   * broken server does not make every tools/list wait for its start timeout.
   */
  ensurePinned(): Promise<boolean> {
    if (this.isPinned || this.pinFailed) return Promise.resolve(false);
    this.pinning ??= this.proc.catalog().then((c) => this.observe(c)).then(() => true, (err: unknown) => {
      this.pinFailed = true;
      throw err;
    }).finally(() => { this.pinning = undefined; });
    return this.pinning;
  }

  /** Pin status for the host's and plugin-info's reports. */
  status(): PinStatus {
    const source = this.declared ? 'declared' : this.pin ? 'recorded' : 'none';
    const changed = this.pin?.changed;
    return {
      source,
      ...(this.pin ? { pinnedAt: this.pin.pinnedAt, hash: this.pin.hash } : this.declared ? { hash: hashTools(this.declared) } : {}),
      tools: this.tools.size,
      ...(changed ? { changed: { ...diffTools(this.pinned() ?? [], changed.tools), detectedAt: changed.detectedAt } } : {}),
      renamed: { tools: renamedOnly(this.toolNames), prompts: renamedOnly(this.promptNames) },
    };
  }

  private reread(kind: ServerListKind): Promise<void> {
    return this.proc.catalog().then((c) => this.observe(c, kind), (err: unknown) => {
      this.deps.log('warn', `cannot re-read the server's ${kind} after list_changed: ${(err as Error).message}`);
    });
  }

  /** Resolves when the lists reported so far are recorded (the pin file written). */
  settled(): Promise<void> {
    return this.observing;
  }

  /** Compares what a start (or a list_changed) reported with the pin; one at a time. */
  observe(catalog: ServerCatalog, reported?: ServerListKind): Promise<void> {
    this.observing = this.observing.then(() => this.apply(catalog, reported)).catch((err: unknown) => {
      this.deps.log('warn', `cannot record the server's lists: ${(err as Error).message}`);
    });
    return this.observing;
  }

  /** `reported`: the list a list_changed named; it is passed on even when what pm serves stays the same. */
  private async apply(catalog: ServerCatalog, reported?: ServerListKind): Promise<void> {
    const { name } = this;
    const version = this.plugin.manifest.version;
    const kinds: ServerListKind[] = [];
    const before = this.pin;
    const pinned = this.pinned();
    let pin: ToolPin;
    if (!pinned) {
      pin = makePin(name, version, catalog.tools);
      kinds.push('tools');
      this.deps.log('info', `pinned the ${pin.tools.length} tools the server reported (${pin.hash})`);
    } else {
      // A declared list is the pin: a file from an older manifest gives way to it.
      const base = before && before.hash === hashTools(pinned) ? before : makePin(name, version, pinned);
      pin = withReported(base, catalog.tools);
      if (pin.changed && pin.changed.hash !== before?.changed?.hash) {
        const d = diffTools(pin.tools, pin.changed.tools);
        const list = (label: string, names: string[]) => (names.length ? [`${label} ${names.join(', ')}`] : []);
        const what = [...list('added', d.added), ...list('removed', d.removed), ...list('modified', d.modified)].join('; ');
        this.deps.log('warn', `tools changed: the server now reports other tools than the pinned ones (${what}); still serving the ${pin.tools.length} pinned tools${this.declared ? ' declared in plugin.json' : ` until 'pm plugin-tools-accept ${name}'`}`);
        this.deps.onEvent?.('tools-changed', `the server reports other tools than the pinned ones (${what})`, { added: d.added, removed: d.removed, modified: d.modified });
      }
    }
    const lists = { resources: catalog.resources, resourceTemplates: catalog.resourceTemplates, prompts: catalog.prompts } as unknown as Omit<SeenLists, 'recordedAt'>;
    const old = before?.seen ?? EMPTY_SEEN;
    if (canonicalJson([old.resources, old.resourceTemplates]) !== canonicalJson([lists.resources, lists.resourceTemplates])) kinds.push('resources');
    if (canonicalJson(old.prompts) !== canonicalJson(lists.prompts)) kinds.push('prompts');
    const sameLists = !kinds.includes('resources') && !kinds.includes('prompts');
    pin = { ...pin, seen: sameLists && before?.seen ? before.seen : { recordedAt: new Date().toISOString(), ...lists } };
    this.pin = pin;
    this.index();
    // Written only when something differs, so an ordinary start does not rewrite the file.
    if (this.deps.home && canonicalJson(pin) !== canonicalJson(before ?? null)) {
      await writePin(this.deps.home, pin).catch((err: unknown) => this.deps.log('warn', `cannot write the pin file: ${(err as Error).message}; the pin holds for this run only`));
    }
    if (reported && !kinds.includes(reported)) kinds.push(reported);
    if (kinds.length) this.deps.onListsChanged(name, kinds);
  }
}
