/**
 * The AWS SDK's JSON protocol serializes and deserializes through its service model, and silently
 * drops every member the model does not know: a task definition field newer than the bundled SDK
 * would vanish on DescribeTaskDefinition and never reach RegisterTaskDefinition. These two
 * middlewares keep the SDK for everything it is good at (endpoint, credentials, signing, retries,
 * errors) while the JSON body goes over the wire exactly as rendered, and comes back exactly as
 * ECS sent it.
 */
import type { ECSClient } from '@aws-sdk/client-ecs';

/** Anything that sends ECS commands: the real client, or a test double of it. */
export type EcsSender = Pick<ECSClient, 'send'>;

interface MiddlewareCommand {
  middlewareStack: unknown;
}

/** The part of the SDK's middleware stack used here; the SDK's own overloads are per step. */
interface LooseStack {
  add(middleware: unknown, options: { step: 'build' | 'deserialize'; name: string; priority: 'high' | 'low'; override?: boolean }): void;
}

const stackOf = (command: MiddlewareCommand) => command.middlewareStack as LooseStack;

interface RequestLike {
  body?: unknown;
  headers: Record<string, string>;
}

/**
 * Replaces the serialized body of `command` with `body`, byte for byte. Runs at the start of the
 * build step, i.e. after the SDK serialized (and validated) the typed input, and before
 * content-length and signing, which then cover the raw body.
 */
export function sendBodyVerbatim<C extends MiddlewareCommand>(command: C, body: Record<string, unknown>): C {
  const text = JSON.stringify(body);
  stackOf(command).add(
    (next: (args: { request: RequestLike }) => Promise<unknown>) => async (args: { request: RequestLike }) => {
      args.request.body = text;
      // The SDK sets content-length later in this step; a stale one from a retry must not stay.
      delete args.request.headers['content-length'];
      delete args.request.headers['Content-Length'];
      return next(args);
    },
    { step: 'build', name: 'ctpVerbatimJsonBody', priority: 'high', override: true },
  );
  return command;
}

/**
 * Captures the response body of `command` as parsed JSON, before the SDK's deserializer (which
 * runs outside this middleware) reduces it to the members its model knows. The captured value is
 * available once `send` resolves.
 */
export function captureResponseJson<C extends MiddlewareCommand>(command: C): { command: C; json: () => Record<string, unknown> } {
  let captured: Record<string, unknown> | undefined;
  stackOf(command).add(
    (next: (args: unknown) => Promise<{ response: { statusCode?: number; body?: unknown } }>) => async (args: unknown) => {
      const result = await next(args);
      const { response } = result;
      const bytes = await readAll(response.body);
      // Hand the deserializer the same bytes: it accepts a Uint8Array as a body.
      response.body = bytes;
      if (response.statusCode !== undefined && response.statusCode < 300) {
        try {
          captured = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
        } catch {
          captured = undefined;
        }
      }
      return result;
    },
    { step: 'deserialize', name: 'ctpCaptureResponseJson', priority: 'low', override: true },
  );
  return {
    command,
    json: () => {
      if (!captured) throw new Error('the raw JSON response was not captured (no successful response)');
      return captured;
    },
  };
}

async function readAll(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
