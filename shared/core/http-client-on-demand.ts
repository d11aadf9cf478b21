/**
 * What the bundles get when a dependency imports `@actions/http-client` (actions/tsconfig.json maps
 * the name here for ncc, as it maps `undici`): `HttpClient`, whose first construction loads the
 * real module. The real module stays in the bundle; it is only evaluated later.
 *
 * Why (issue 29): @actions/core imports @actions/http-client at its top (for OIDC tokens), and so
 * do @actions/github and @actions/tool-cache. Evaluating it loads node:https, node:tls and the
 * `tunnel` package at every step's start, in steps that mostly send nothing through it. Without
 * them a step's start costs ~15 ms less CPU: run-test-tier's post 80 → 65 ms, the deploy's main
 * 85 → 71 ms, bare Node 24 being 41 ms (40 runs each); the suite runs ~950 steps.
 *
 * Who uses it (test/shared/http-client-on-demand.test.ts reads node_modules and fails on anyone
 * else): @actions/core's OIDC client, @actions/github (getAgent / getAgentDispatcher for a proxy)
 * and @actions/tool-cache (downloads) construct `HttpClient` when they send, and use nothing else
 * of the module. Everyone gets the one copy in node_modules/@actions/http-client; @actions/github
 * pins its own 3.x copy, whose HttpClient has the same constructor and the methods it calls.
 */
import type * as Real from '@actions/http-client';

let real: typeof Real | undefined;

/** The real module: evaluated once, synchronously, on first use. */
function load(): typeof Real {
  // A path, not the bare name (that is this module); the package exports only its ESM entry by
  // name, which the bundler's require would not take.
  real ??= require('../../node_modules/@actions/http-client/lib/index.js') as typeof Real;
  return real;
}

/** The real HttpClient, made on construction: `new HttpClient(...)` gives a real instance. */
export const HttpClient = function HttpClient(...args: ConstructorParameters<typeof Real.HttpClient>): Real.HttpClient {
  return new (load().HttpClient)(...args);
} as unknown as typeof Real.HttpClient;
