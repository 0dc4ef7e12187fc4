import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Both cores: vitest's default (cores - 1) gives one worker on the 2-core build machine.
const workers = Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: workers } },
    reporters: ['default'],
  },
});
