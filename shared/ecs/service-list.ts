/**
 * The services a deploy releases: ecs-rolling-deploy's `service`, one name (or ARN), or several
 * separated by newlines or commas (deploy-services.ts then releases them together). A name or an
 * ARN holds neither a comma nor a space, so a space inside an item is a list written wrongly.
 */
import { InputError } from '../core/errors.js';
import type { GivenInput } from '../core/inputs.js';

const EXPECTED = 'an ECS service name or ARN, or several separated by newlines or commas (`web, worker`)';

export function parseServiceList(given: GivenInput): string[] {
  const services = given.value
    .split(/\r?\n/)
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (services.length === 0) throw new InputError(given.name, undefined, EXPECTED);
  const spaced = services.find((s) => /\s/.test(s));
  if (spaced !== undefined) throw new InputError(given.name, spaced, `${EXPECTED}; a name has no spaces`);
  const names = services.map(serviceName);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new InputError(given.name, given.value, `${EXPECTED}, each once (${twice} is named twice)`);
  return services;
}

/** `arn:aws:ecs:…:service/cluster/web` → `web`; a name is itself. */
export function serviceName(service: string): string {
  return service.startsWith('arn:') ? (service.split('/').at(-1) ?? service) : service;
}
