/**
 * What the bundles get when a dependency imports `undici` (actions/tsconfig.json maps the name
 * here for ncc; scripts/bundle.mjs says how): the two things they use, `ProxyAgent` and `fetch`,
 * with undici itself in a chunk of its own, loaded by the first request that needs it.
 *
 * Why: @actions/core imports @actions/http-client, which imports undici at its top, for the one
 * case of an HTTP client handing a proxy to a fetch. Evaluating undici at every step's start (its
 * modules, the Node modules it pulls in — http2, worker_threads, perf_hooks — and its llhttp
 * WebAssembly compiled in the background) cost ~40 ms of CPU per step, in steps that mostly never
 * send a request through undici: about a third of a bundle's start (issue 29).
 *
 * Who uses undici (test/bundles/undici-on-demand.test.ts reads node_modules and fails on anyone
 * else): @actions/http-client's `getAgentDispatcher` makes `new ProxyAgent(options)` when a proxy
 * is set for a URL, and @actions/github hands that dispatcher to undici's `fetch`, which sends
 * every GitHub request of the Octokit it builds. So `ProxyAgent` here keeps the options, and
 * `fetch` loads undici, makes the real agent for them (one per dispatcher) and sends the request.
 */
import type * as Undici from 'undici';

let loading: Promise<typeof Undici> | undefined;

/** undici itself (a chunk of the bundle; the package, unbundled): loaded once, on first use. */
function undici(): Promise<typeof Undici> {
  // `undici/index.js`, not `undici`: the bare name is this module (the mapping above).
  // Node hands an ESM importer a CommonJS package's exports as named ones; a bundler may put them
  // under `default` only.
  loading ??= import('undici/index.js').then((m) => {
    const named = m as unknown as Partial<typeof Undici> & { default?: typeof Undici };
    return typeof named.fetch === 'function' ? (named as typeof Undici) : named.default!;
  });
  return loading;
}

/**
 * A proxy dispatcher as `getAgentDispatcher` returns it: its options, until a `fetch` below uses
 * it. Anything else asked of it fails by name, rather than dispatching nowhere.
 */
export class ProxyAgent {
  readonly options: Undici.ProxyAgent.Options | string;
  constructor(options: Undici.ProxyAgent.Options | string) {
    this.options = options;
  }
  dispatch(): never {
    throw new Error('ProxyAgent (undici-on-demand): this dispatcher is made on first use by fetch; nothing else may dispatch through it');
  }
}

const agents = new WeakMap<ProxyAgent, Undici.ProxyAgent>();

/** undici's fetch, the proxy dispatcher made real. */
export async function fetch(input: Parameters<typeof Undici.fetch>[0], init?: Parameters<typeof Undici.fetch>[1]): ReturnType<typeof Undici.fetch> {
  const real = await undici();
  const given = init?.dispatcher as unknown;
  if (!(given instanceof ProxyAgent)) return real.fetch(input, init);
  let agent = agents.get(given);
  if (!agent) {
    agent = new real.ProxyAgent(given.options);
    agents.set(given, agent);
  }
  return real.fetch(input, { ...init, dispatcher: agent });
}
