/** `owner/repo` (GITHUB_REPOSITORY) as the two parts GitHub's endpoints take; anything else is refused. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) throw new Error(`GITHUB_REPOSITORY is ${JSON.stringify(repository)}, expected owner/repo`);
  return { owner, repo };
}
