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
    // The SDK warns on every client that releases from 2027 need Node 22; the Lambda runs Node 22 and the
    // warning would bury the test output on Node 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
