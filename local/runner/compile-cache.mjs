// Preloaded (`node --import`) into every step the local runner starts: Node's on-disk cache of
// compiled code for this checkout (run-bundle.ts says why). Enabled here rather than through
// NODE_COMPILE_CACHE so that it is no variable of the step: the programs an action starts for the
// user get the environment a `run:` step would, and a runner sets no such thing.
import { enableCompileCache } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

enableCompileCache(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.tmp/node-compile-cache'));
