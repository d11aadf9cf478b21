/** A `v1.2.3` / `1.2.3-rc.1+build.5` version as found in a release tag (semver.org 2.0 grammar). */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  build?: string;
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function parseSemVer(value: string): SemVer | undefined {
  const m = SEMVER.exec(value);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    ...(m[4] ? { prerelease: m[4] } : {}),
    ...(m[5] ? { build: m[5] } : {}),
  };
}

/** `1.2.3` or `1.2.3-rc.1`; build metadata is dropped (it has no precedence and `+` is not legal in a Docker tag). */
export function formatSemVer(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}
