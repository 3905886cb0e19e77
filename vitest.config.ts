import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Interop tests start real servers; give them room, but no test may wait forever.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
