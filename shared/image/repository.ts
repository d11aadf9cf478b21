import { InputError } from '../core/errors.js';
import { splitImageReference, type ImageReference } from './reference.js';

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

const EXPECTED =
  'a repository without tag or digest, such as `localhost:5000/app` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments-api` (lower-case path components; tags come from the `tags` input)';

/** Docker's reference grammar (reference.ts), with neither tag nor digest: tags come from `tags`. */
export function parseImageRepository(value: string, inputName = 'image'): ImageRepository {
  let reference: ImageReference;
  try {
    reference = splitImageReference(value);
  } catch (error) {
    throw new InputError(inputName, value, `${EXPECTED}; ${(error as Error).message}`);
  }
  if (reference.tag !== undefined || reference.digest !== undefined) {
    throw new InputError(inputName, value, `${EXPECTED}; it has a ${reference.digest !== undefined ? 'digest' : 'tag'}`);
  }
  return { name: value, registry: reference.registry, path: reference.path };
}

/** Registries Docker talks to over plain HTTP without configuration: loopback addresses. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '');
  return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
}
