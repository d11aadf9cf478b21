/**
 * The registry an image reference is pulled from, as `docker login` names it: the first path
 * component when it looks like a host (has a `.` or a `:`, or is `localhost`), else Docker Hub.
 */
export function registryOfImage(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash === -1) return 'docker.io';
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

/** Whether a reference pins an image by ID or digest (nothing to pull when it is present). */
export function isImageId(reference: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(reference);
}
