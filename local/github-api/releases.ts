/**
 * Releases and git references, as a release workflow calls them (REST docs "Releases" and "Git
 * references"): a draft created with its notes, published by PATCH `draft: false`, generated
 * notes, and the refs of tags (read, created, moved).
 *
 * Immutable releases (GitHub, GA 2025-10): with `immutable` on for the repository, a release is
 * immutable once published (`immutable: true` in its answers); its tag can then be neither moved
 * nor moved (422 here; GitHub's exact message is not documented) and the release can no longer
 * be edited back to a draft or to another tag. A draft stays editable. Tags are refs this stand-in
 * keeps: publishing a release whose tag has no ref creates it at `target_commitish` when that is a
 * 40-hex SHA (GitHub resolves a branch name too; here a branch is not known, so 422).
 */
import { ACTIONS_BOT, simpleUser } from './objects.js';
import type { Route } from './checks-and-comments.js';

const RELEASES_DOCS = 'https://docs.github.com/rest/releases/releases';
const REFS_DOCS = 'https://docs.github.com/rest/git/refs';

export interface RecordedRelease {
  id: number;
  node_id: string;
  tag_name: string;
  target_commitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  created_at: string;
  published_at: string | null;
  updated_at: string;
  /** Not in GitHub's answer: kept for assertions. */
  repository: string;
  author: string;
}

export class Releases {
  readonly releases: RecordedRelease[] = [];
  /** `owner/repo` → ref (`refs/tags/v1`) → sha. */
  readonly refs = new Map<string, Map<string, string>>();

  constructor(
    private readonly server: string,
    /** Repositories with release immutability on (Settings → General → Releases). */
    private readonly immutable: (repository: string) => boolean,
  ) {}

  refsOf(repository: string): Map<string, string> {
    let refs = this.refs.get(repository);
    if (!refs) {
      refs = new Map();
      this.refs.set(repository, refs);
    }
    return refs;
  }

  handle(route: Route): boolean {
    const notes = /^\/repos\/([^/]+)\/([^/]+)\/releases\/generate-notes\/?$/.exec(route.path);
    if (notes && route.method === 'POST') {
      this.generateNotes(route, `${notes[1]}/${notes[2]}`);
      return true;
    }
    const releases = /^\/repos\/([^/]+)\/([^/]+)\/releases(?:\/(\d+))?\/?$/.exec(route.path);
    if (releases) {
      this.releaseRoute(route, `${releases[1]}/${releases[2]}`, releases[3] === undefined ? undefined : Number(releases[3]));
      return true;
    }
    const refs = /^\/repos\/([^/]+)\/([^/]+)\/git\/(ref|refs)(?:\/(.+))?$/.exec(route.path);
    if (refs) {
      this.refRoute(route, `${refs[1]}/${refs[2]}`, refs[3] === 'ref', refs[4] === undefined ? undefined : decodeURIComponent(refs[4]));
      return true;
    }
    return false;
  }

  private view(route: Route, r: RecordedRelease): Record<string, unknown> {
    const repoUrl = `${route.apiUrl}/repos/${r.repository}`;
    const html = `${this.server}/${r.repository}`;
    const { repository: _repository, author, ...shown } = r;
    return {
      url: `${repoUrl}/releases/${r.id}`,
      html_url: r.draft ? `${html}/releases/tag/untagged-${r.id}` : `${html}/releases/tag/${r.tag_name}`,
      assets_url: `${repoUrl}/releases/${r.id}/assets`,
      upload_url: `${route.apiUrl.replace(/\/$/, '')}/repos/${r.repository}/releases/${r.id}/assets{?name,label}`,
      tarball_url: `${repoUrl}/tarball/${r.tag_name}`,
      zipball_url: `${repoUrl}/zipball/${r.tag_name}`,
      ...shown,
      author: simpleUser(
        { api: route.apiUrl, server: this.server },
        author,
        author === ACTIONS_BOT.login ? ACTIONS_BOT.id : 4000 + r.id,
        author.endsWith('[bot]') ? 'Bot' : 'User',
      ),
      assets: [],
    };
  }

  private generateNotes(route: Route, repository: string) {
    const tag = route.body.tag_name;
    if (typeof tag !== 'string' || tag === '')
      return route.error(422, 'Validation Failed: tag_name is required', `${RELEASES_DOCS}#generate-release-notes-content-for-a-release`);
    const previous = typeof route.body.previous_tag_name === 'string' ? route.body.previous_tag_name : '';
    // No pull requests are known here: the body is what GitHub writes when none was merged.
    const changelog = previous ? `${this.server}/${repository}/compare/${previous}...${tag}` : `${this.server}/${repository}/commits/${tag}`;
    route.send(200, { name: tag, body: `**Full Changelog**: ${changelog}` });
  }

  private releaseRoute(route: Route, repository: string, id: number | undefined) {
    if (id === undefined) {
      if (route.method === 'GET') {
        const list = this.releases.filter((r) => r.repository === repository).map((r) => this.view(route, r));
        return route.send(200, list);
      }
      if (route.method !== 'POST') return route.error(404, 'Not Found');
      const tag = route.body.tag_name;
      if (typeof tag !== 'string' || tag === '') return route.error(422, 'Validation Failed: tag_name is required', `${RELEASES_DOCS}#create-a-release`);
      if (this.releases.some((r) => r.repository === repository && r.tag_name === tag && !r.draft))
        return route.error(422, 'Validation Failed: tag_name already_exists', `${RELEASES_DOCS}#create-a-release`);
      const draft = route.body.draft === true;
      const release: RecordedRelease = {
        id: route.nextId(),
        node_id: '',
        tag_name: tag,
        target_commitish: typeof route.body.target_commitish === 'string' ? route.body.target_commitish : 'main',
        name: typeof route.body.name === 'string' ? route.body.name : tag,
        body: typeof route.body.body === 'string' ? route.body.body : null,
        draft,
        prerelease: route.body.prerelease === true,
        immutable: false,
        created_at: route.now,
        published_at: null,
        updated_at: route.now,
        repository,
        author: route.login,
      };
      release.node_id = `RE_kw${Buffer.from(String(release.id)).toString('base64url')}`;
      if (!draft) {
        const refused = this.publish(route, release);
        if (refused) return route.error(422, refused, `${RELEASES_DOCS}#create-a-release`);
      }
      this.releases.push(release);
      return route.send(201, this.view(route, release));
    }
    const release = this.releases.find((r) => r.repository === repository && r.id === id);
    if (!release) return route.error(404, 'Not Found');
    if (route.method === 'GET') return route.send(200, this.view(route, release));
    if (route.method !== 'PATCH') return route.error(404, 'Not Found');
    const b = route.body;
    if (release.immutable && ((typeof b.tag_name === 'string' && b.tag_name !== release.tag_name) || b.draft === true))
      return route.error(422, 'Validation Failed: an immutable release cannot change its tag or go back to a draft', `${RELEASES_DOCS}#update-a-release`);
    if (typeof b.tag_name === 'string') release.tag_name = b.tag_name;
    if (typeof b.target_commitish === 'string') release.target_commitish = b.target_commitish;
    if (typeof b.name === 'string') release.name = b.name;
    if (typeof b.body === 'string') release.body = b.body;
    if (typeof b.prerelease === 'boolean') release.prerelease = b.prerelease;
    if (b.draft === false && release.draft) {
      const refused = this.publish(route, release);
      if (refused) return route.error(422, refused, `${RELEASES_DOCS}#update-a-release`);
    }
    release.updated_at = route.now;
    return route.send(200, this.view(route, release));
  }

  /** Publishing: the tag must exist or be creatable at a commit; immutability then applies. */
  private publish(route: Route, release: RecordedRelease): string | undefined {
    const refs = this.refsOf(release.repository);
    const ref = `refs/tags/${release.tag_name}`;
    if (!refs.has(ref)) {
      if (!/^[0-9a-f]{40}$/.test(release.target_commitish))
        return `Validation Failed: tag ${release.tag_name} does not exist and target_commitish '${release.target_commitish}' is not a commit SHA this stand-in can tag`;
      refs.set(ref, release.target_commitish);
    }
    release.draft = false;
    release.published_at = route.now;
    release.immutable = this.immutable(release.repository);
    return undefined;
  }

  private refRoute(route: Route, repository: string, single: boolean, name: string | undefined) {
    const refs = this.refsOf(repository);
    const answer = (ref: string) => ({
      ref,
      node_id: `REF_kw${Buffer.from(ref).toString('base64url')}`,
      url: `${route.apiUrl}/repos/${repository}/git/refs/${ref.replace(/^refs\//, '')}`,
      object: { type: 'commit', sha: refs.get(ref)!, url: `${route.apiUrl}/repos/${repository}/git/commits/${refs.get(ref)}` },
    });
    const lockedBy = (ref: string) => this.releases.find((r) => r.repository === repository && r.immutable && `refs/tags/${r.tag_name}` === ref)?.tag_name;
    if (single) {
      if (route.method !== 'GET' || !name) return route.error(404, 'Not Found');
      const ref = `refs/${name}`;
      return refs.has(ref) ? route.send(200, answer(ref)) : route.error(404, 'Not Found', `${REFS_DOCS}#get-a-reference`);
    }
    if (route.method === 'POST' && !name) {
      const { ref, sha } = route.body;
      if (typeof ref !== 'string' || !/^refs\/.+/.test(ref) || ref.split('/').length < 3)
        return route.error(422, "Reference name must start with 'refs/' and have at least two slashes.", `${REFS_DOCS}#create-a-reference`);
      if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) return route.error(422, 'Object does not exist', `${REFS_DOCS}#create-a-reference`);
      if (refs.has(ref)) return route.error(422, 'Reference already exists', `${REFS_DOCS}#create-a-reference`);
      refs.set(ref, sha);
      return route.send(201, answer(ref));
    }
    if (route.method === 'PATCH' && name) {
      const ref = `refs/${name}`;
      if (!refs.has(ref)) return route.error(422, 'Reference does not exist', `${REFS_DOCS}#update-a-reference`);
      const locked = lockedBy(ref);
      if (locked) return route.error(422, `Validation Failed: ${ref} is the tag of the immutable release ${locked}`, `${REFS_DOCS}#update-a-reference`);
      const sha = route.body.sha;
      if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) return route.error(422, 'Object does not exist', `${REFS_DOCS}#update-a-reference`);
      refs.set(ref, sha);
      return route.send(200, answer(ref));
    }
    return route.error(404, 'Not Found');
  }
}
