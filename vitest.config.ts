import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel in forks, each with its own databases and peers.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
