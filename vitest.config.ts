import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start emulators on 127.0.0.1 with ports chosen by the OS; two cores are enough
    // for two suites at a time without starving the emulators.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
