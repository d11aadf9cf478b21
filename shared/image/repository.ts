import { InputError } from '../core/errors.js';

/**
 * An image repository as the `image` input names it (`127.0.0.1:5000/app`,
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api`, `acme/app` on Docker Hub), split
 * the way the Docker CLI splits it: the first component is a registry host when it has a `.` or a
 * `:` or is `localhost`.
 */
export interface ImageRepository {
  /** As given; tags are appended to this. */
  name: string;
  /** Host[:port] that `docker login` and `docker push` use, e.g. `127.0.0.1:5000`, `docker.io`. */
  registry: string;
  /** Repository path inside the registry, e.g. `app`, `library/busybox`. */
  path: string;
}

const HOST = /^(?:localhost|\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*)(?::\d{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const EXPECTED =
  'a repository without tag or digest, such as `localhost:5000/app` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api` (lower-case path components; tags come from the `tags` input)';

export function parseImageRepository(value: string, inputName = 'image'): ImageRepository {
  if (value.includes('@')) throw new InputError(inputName, value, EXPECTED);
  const parts = value.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  const pathParts = hasHost ? parts.slice(1) : parts;
  if (hasHost && !HOST.test(host)) throw new InputError(inputName, value, EXPECTED);
  if (pathParts.length === 0 || !pathParts.every((p) => PATH_COMPONENT.test(p)) || value.length > 255) {
    throw new InputError(inputName, value, EXPECTED);
  }
  const path = !hasHost && pathParts.length === 1 ? `library/${pathParts[0]}` : pathParts.join('/');
  return { name: value, registry: host, path };
}

/** Registries Docker talks to over plain HTTP without configuration: loopback addresses. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}
