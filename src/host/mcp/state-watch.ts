import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface FileWatch {
  close(): void;
}

/**
 * Calls `onChange` when the content of `file` changes, however it is written (in place or,
 * as the store does, by rename). fs.watch on the folder gives fast notice; a slow poll of
 * the content catches what fs.watch misses on some file systems. Changes within
 * `debounceMs` are reported once, and `onChange` never runs twice at a time.
 */
export function watchFileContent(file: string, onChange: () => Promise<void> | void, opts: { debounceMs?: number; pollMs?: number; onError?: (err: unknown) => void } = {}): FileWatch {
  const debounceMs = opts.debounceMs ?? 100;
  let last: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let closed = false;

  const read = () => readFile(file, 'utf8').catch(() => '');
  // The first read sets the baseline; only later differences count as changes.
  const ready = read().then((t) => { last ??= t; });

  const check = async () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await ready;
      const now = await read();
      if (now !== last) {
        last = now;
        await onChange();
      }
    } catch (err) {
      opts.onError?.(err);
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
    timer.unref?.();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (!name || name.toString() === basename(file)) schedule();
    });
    watcher.on('error', () => { watcher?.close(); watcher = undefined; });
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(() => void check(), opts.pollMs ?? 2000);
  poll.unref?.();

  return {
    close() {
      closed = true;
      watcher?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Calls `onChange(dir)` when any file under one of `dirs` changes (debounced per folder),
 * ignoring node_modules churn and editor swap files. For `--watch` on linked plugins.
 */
export function watchTrees(dirs: string[], onChange: (dir: string) => void, opts: { debounceMs?: number } = {}): FileWatch {
  const watchers: FSWatcher[] = [];
  const timers = new Map<string, NodeJS.Timeout>();
  for (const dir of dirs) {
    try {
      const w = watch(dir, { recursive: true, persistent: false }, (_e, name) => {
        const n = name?.toString() ?? '';
        if (/(^|[\\/])(node_modules|\.git)([\\/]|$)|\.swp$|~$/.test(n)) return;
        const t = timers.get(dir);
        if (t) clearTimeout(t);
        timers.set(dir, setTimeout(() => onChange(dir), opts.debounceMs ?? 200));
      });
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      // A folder that vanished is picked up again at the next reload.
    }
  }
  return {
    close() {
      for (const w of watchers) w.close();
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
