import { InputError } from '../core/errors.js';

/**
 * Docker's image reference grammar (github.com/distribution/reference, `reference.go`):
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] remote-name
 *   domain           := host [':' port-number]
 *   host             := domain-name | IPv4address | \[ IPv6address \]
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := alpha-numeric [separator alpha-numeric]*    (alpha-numeric := /[a-z0-9]+/)
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" /[0-9a-fA-F]{32,}/   (algorithm := /[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*\/)
 *
 * and the name is at most 255 characters. Every image input is checked against it before any
 * docker call, so a value such as `--privileged` or `-v/:/host` is an input error, never an
 * option smuggled into `docker pull` or `docker run`. The first component is a registry when it
 * has a `.` or a `:`, is `localhost`, or has an upper-case letter (the CLI's
 * `splitDockerDomain`); otherwise the image is on Docker Hub.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|${IPV6})(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;
const NAME_MAX = 255;

export interface ImageReference {
  /** As given. */
  given: string;
  /** Name without tag or digest, as given (`127.0.0.1:5000/app`, `maven`). */
  name: string;
  /** Host[:port] that `docker login` names, `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path inside the registry (`library/maven` on Docker Hub). */
  path: string;
  tag?: string;
  digest?: string;
}

/** Why `value` is not a reference, or undefined when it is one. */
function violation(value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (value.startsWith('-')) return 'it starts with `-`, which docker would read as an option';
  if (/\s/.test(value)) return 'it contains white space';
  return undefined;
}

/** Splits and checks a reference; throws an Error saying which part is wrong. */
export function splitImageReference(value: string): ImageReference {
  const bad = violation(value);
  if (bad) throw new Error(bad);
  let rest = value;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`the digest ${JSON.stringify(digest)} is not <algorithm>:<hex>, such as sha256:<64 hex digits>`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new Error(`the tag ${JSON.stringify(tag)} is not 1–128 of A–Z a–z 0–9 _ . - starting with a letter, digit or _`);
  }
  const name = rest;
  if (name.length > NAME_MAX) throw new Error(`the name is ${name.length} characters long (at most ${NAME_MAX})`);
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasDomain = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const registry = hasDomain ? first : 'docker.io';
  const remote = hasDomain ? name.slice(slash + 1) : name;
  if (hasDomain && !DOMAIN.test(first)) throw new Error(`the registry ${JSON.stringify(first)} is not a host name or address with an optional :port`);
  const components = remote.split('/');
  const wrong = components.find((c) => !PATH_COMPONENT.test(c));
  if (wrong !== undefined) {
    throw new Error(
      wrong === ''
        ? 'a path component is empty'
        : `the path component ${JSON.stringify(wrong)} is not lower-case letters and digits joined by single separators (. _ __ -)`,
    );
  }
  const path = !hasDomain && components.length === 1 ? `library/${remote}` : remote;
  return { given: value, name, registry, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export const IMAGE_REFERENCE_EXPECTED =
  'an image reference: [registry[:port]/]path[:tag][@digest] with lower-case path components, such as `maven:3`, `127.0.0.1:5000/builder:1` or `builder@sha256:…`';

/**
 * An image input (`image`, `container-image`) as a reference docker will read as one; an image
 * ID (`sha256:…`) is accepted too, since `docker run` takes it. InputError names the input.
 */
export function parseImageInput(value: string, inputName: string): ImageReference | { given: string; id: string } {
  if (IMAGE_ID.test(value)) return { given: value, id: value.startsWith('sha256:') ? value : `sha256:${value}` };
  try {
    return splitImageReference(value);
  } catch (error) {
    throw new InputError(inputName, value, `${IMAGE_REFERENCE_EXPECTED} (${(error as Error).message})`);
  }
}

/**
 * The registry an image reference is pulled from, as `docker login` names it: the first path
 * component when it looks like a host (has a `.` or a `:`, or is `localhost`), else Docker Hub.
 */
export function registryOfImage(reference: string): string {
  if (isImageId(reference)) return 'docker.io';
  return splitImageReference(reference).registry;
}

/** Whether a reference pins an image by ID (nothing to pull when it is present). */
export function isImageId(reference: string): boolean {
  return IMAGE_ID.test(reference);
}
