import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests drive real Docker, a real registry and bundles in child processes: give them room,
    // and keep files sequential where they share the engine (see test/helpers/stack.ts).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Every exchange with the stand-ins is held to AWS's and GitHub's published models
    // (local/conformance); the oracles are installed once per run.
    globalSetup: ['test/helpers/conformance-oracles.ts'],
    setupFiles: ['test/helpers/conformance.ts'],
    reporters: ['default'],
    // @actions/workflow-parser imports its schema JSON without an import attribute, which only a
    // bundler (or tsx) accepts: let vite transform it instead of handing it to Node.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
