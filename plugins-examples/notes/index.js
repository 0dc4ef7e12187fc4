// notes: a small note store in the plugin's own data folder (the only place it may write).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads notes.json from the data folder; a missing file is an empty store. */
async function load(ctx) {
  try {
    return JSON.parse(await readFile(join(ctx.dataDir, 'notes.json'), 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return { nextId: 1, notes: [] };
    throw err;
  }
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
async function save(ctx, store) {
  const file = join(ctx.dataDir, 'notes.json');
  await writeFile(file + '.tmp', JSON.stringify(store, null, 2));
  await rename(file + '.tmp', file);
}

// Tool calls to one plugin may overlap; chaining the read-modify-write keeps them in order.
let queue = Promise.resolve();
function exclusive(fn) {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

const summary = (n) => `#${n.id} ${n.title}${n.tags.length ? ` [${n.tags.join(', ')}]` : ''}`;
const json = (value, text) => ({ content: [{ type: 'text', text }], structuredContent: value });

export default {
  tools: {
    add: (args, ctx) => exclusive(async () => {
      const store = await load(ctx);
      const max = ctx.config.maxNotes ?? 1000;
      if (store.notes.length >= max) {
        return { isError: true, content: [{ type: 'text', text: `notes is full (${max} notes, the configured maxNotes); delete some or raise it: pm plugin-config notes maxNotes <n>` }] };
      }
      const note = {
        id: String(store.nextId++),
        title: (args.title ?? args.text.split('\n')[0]).slice(0, 200),
        text: args.text,
        tags: [...new Set(args.tags ?? [])],
        created: new Date().toISOString(),
      };
      store.notes.push(note);
      await save(ctx, store);
      ctx.log.info(`added note ${note.id}`);
      return json({ id: note.id }, `Saved note #${note.id}: ${note.title}`);
    }),

    async list(args, ctx) {
      const { notes } = await load(ctx);
      const picked = notes.filter((n) => !args.tag || n.tags.includes(args.tag)).reverse().slice(0, args.limit ?? 50);
      return json({ notes: picked.map(({ text, ...n }) => n) }, picked.length ? picked.map(summary).join('\n') : 'No notes.');
    },

    async search(args, ctx) {
      const words = args.query.toLowerCase().split(/\s+/).filter(Boolean);
      const { notes } = await load(ctx);
      const hits = notes.filter((n) => {
        const hay = `${n.title}\n${n.text}\n${n.tags.join(' ')}`.toLowerCase();
        return words.every((w) => hay.includes(w));
      });
      return json({ notes: hits.map(({ text, ...n }) => n) }, hits.length ? hits.map(summary).join('\n') : `No note matches "${args.query}".`);
    },

    delete: (args, ctx) => exclusive(async () => {
      const store = await load(ctx);
      const i = store.notes.findIndex((n) => n.id === args.id);
      if (i < 0) return { isError: true, content: [{ type: 'text', text: `there is no note #${args.id}; notes.list shows the ids` }] };
      const [gone] = store.notes.splice(i, 1);
      await save(ctx, store);
      return json({ deleted: gone.id }, `Deleted note #${gone.id}: ${gone.title}`);
    }),

    /** Uses usage-analytics (a dependency) through ctx.tools.call: the host routes and checks the call. */
    async stats(_args, ctx) {
      const { notes } = await load(ctx);
      const usage = await ctx.tools.call('usage-analytics.report', { prefix: 'notes.' });
      const tools = usage.structuredContent?.tools ?? {};
      const calls = Object.values(tools).reduce((sum, t) => sum + t.calls, 0);
      const value = { notes: notes.length, maxNotes: ctx.config.maxNotes ?? 1000, toolCalls: calls, tools };
      return json(value, `${notes.length} note(s) of at most ${value.maxNotes}; the notes tools were called ${calls} time(s)`);
    },
  },

  resources: {
    async 'notes://{id}'({ id }, ctx) {
      const { notes } = await load(ctx);
      const n = notes.find((x) => x.id === id);
      // null: no such note, which a client hears as "resource not found" (-32002).
      if (!n) return null;
      return { text: `# ${n.title}\n\n${n.text}\n${n.tags.length ? `\nTags: ${n.tags.join(', ')}\n` : ''}`, mimeType: 'text/markdown' };
    },
  },
};
