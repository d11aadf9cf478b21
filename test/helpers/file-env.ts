/**
 * Each test file leaves process.env as it found it (a vitest setup file, see vitest.config.ts).
 * Files share a worker process one after another (`isolate: false`), so a variable one file sets
 * (a PATH with a credential helper first, a DOCKER_HOST that points nowhere) would otherwise be
 * what the next file's tests, local runner and actions see. Registered first, so it runs last,
 * after every other after-hook of the file.
 */
import { afterAll } from 'vitest';

const before = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  for (const [key, value] of Object.entries(before)) if (process.env[key] !== value) process.env[key] = value;
});
