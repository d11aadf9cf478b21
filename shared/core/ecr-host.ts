/**
 * Recognises Amazon ECR registry hosts: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`
 * (and the dual-stack `…on.aws`). `looksLikeEcr` is looser, so that a host that is clearly meant
 * for ECR but has no readable region is reported instead of being treated as a plain registry.
 */
export interface EcrHost {
  accountId: string;
  region: string;
}

const ECR_HOST = /^(\d{12})\.dkr[.-]ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;

export function parseEcrHost(registry: string): EcrHost | undefined {
  const m = ECR_HOST.exec(registry.toLowerCase());
  return m ? { accountId: m[1]!, region: m[2]! } : undefined;
}

export function looksLikeEcr(registry: string): boolean {
  const host = registry.toLowerCase();
  return /\.dkr[.-]ecr/.test(host) && /\.(amazonaws\.com(\.cn)?|on\.aws)$/.test(host);
}
