import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Builds dist/ when it is missing or older than src/: the process tests run the built server.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel in forks, each with its own databases and peers.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
