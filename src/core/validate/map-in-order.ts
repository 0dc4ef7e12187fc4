/**
 * Maps `items` through async `fn` with at most `limit` calls in flight, resolving to the results
 * in input order. Checks use it to overlap file reads on the thread pool while reporting findings
 * in the same order as a one-at-a-time loop would.
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
