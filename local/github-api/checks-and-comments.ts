/**
 * Check runs and issue comments, as GitHub's REST API documents them (docs.github.com/rest/checks/runs,
 * docs.github.com/rest/issues/comments) and answers them, limits included: at most 50
 * annotations per request, `output.summary` and `output.text` at most 65,535 bytes (GitHub counts
 * bytes, not characters: "summary exceeds a maximum bytesize of 65535"), a comment body at most
 * 65,536 characters, 422 with GitHub's own messages when a limit is passed.
 */
import type { ServerResponse } from 'node:http';
import { ACTIONS_BOT, actionsApp, pullRequest, type SimpleUser, simpleUser } from './objects.js';

export interface RecordedAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column: number | null;
  end_column: number | null;
  annotation_level: string;
  title: string | null;
  message: string;
  raw_details: string | null;
  blob_href: string;
}

export interface RecordedCheckRun {
  id: number;
  head_sha: string;
  node_id: string;
  external_id: string | null;
  url: string;
  html_url: string;
  details_url: string | null;
  status: string;
  conclusion: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number; annotations_url: string };
  name: string;
  check_suite: { id: number };
  app: Record<string, unknown> & { id: number; slug: string; name: string };
  pull_requests: unknown[];
  /** Not in GitHub's answer: kept here for assertions. */
  repository: string;
  annotations: RecordedAnnotation[];
  /** How many annotations each request (create, then every update) carried. */
  annotationBatches: number[];
}

export interface RecordedComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  body: string;
  user: SimpleUser;
  created_at: string;
  updated_at: string;
  issue_url: string;
  author_association: string;
  /** Not in GitHub's answer. */
  repository: string;
  issue_number: number;
}

export interface Route {
  /** The login the request's token writes as. */
  login: string;
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  res: ServerResponse;
  /** The stand-in's own URL (API URLs in answers point back at it). */
  apiUrl: string;
  now: string;
  nextId(): number;
  send(status: number, body: unknown, headers?: Record<string, string>): void;
  error(status: number, message: string, documentation?: string): void;
}

export const MAX_ANNOTATIONS_PER_REQUEST = 50;
export const MAX_OUTPUT_BYTES = 65_535;
export const MAX_COMMENT_CHARACTERS = 65_536;
const ANNOTATION_LEVELS = ['notice', 'warning', 'failure'];
const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
const STATUSES = ['queued', 'in_progress', 'completed'];
const CHECKS_DOCS = 'https://docs.github.com/rest/checks/runs';
const COMMENTS_DOCS = 'https://docs.github.com/rest/issues/comments';
const BOT = ACTIONS_BOT;

const invalid = (route: Route, why: string, docs: string) => route.send(422, { message: `Invalid request.\n\n${why}`, documentation_url: docs, status: '422' });
const validationFailed = (route: Route, resource: string, code: string, field: string, message: string, docs: string) =>
  route.send(422, { message: 'Validation Failed', errors: [{ resource, code, field, message }], documentation_url: docs, status: '422' });

function pageOf<T>(route: Route, list: readonly T[], pathForLinks: string): T[] {
  const perPage = Math.min(100, Math.max(1, Number(route.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(route.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(list.length / perPage));
  const link = (p: number, rel: string) => `<${route.apiUrl}${pathForLinks}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (links.length > 0) route.res.setHeader('link', links.join(', '));
  return list.slice((page - 1) * perPage, page * perPage);
}

/** The annotations of a create or update, validated as GitHub validates them; a string is the 422's reason. */
function readAnnotations(given: unknown, blobBase: string): RecordedAnnotation[] | string {
  if (given === undefined) return [];
  if (!Array.isArray(given)) return "For 'properties/annotations', it is not an array.";
  if (given.length > MAX_ANNOTATIONS_PER_REQUEST) return `No more than ${MAX_ANNOTATIONS_PER_REQUEST} items are allowed; ${given.length} were supplied.`;
  const out: RecordedAnnotation[] = [];
  for (const a of given as Record<string, unknown>[]) {
    for (const key of ['path', 'start_line', 'end_line', 'annotation_level', 'message']) {
      if (a?.[key] === undefined || a[key] === '') return `"${key}" wasn't supplied.`;
    }
    if (typeof a.path !== 'string') return `For 'properties/path', ${JSON.stringify(a.path)} is not a string.`;
    for (const key of ['start_line', 'end_line']) {
      if (!Number.isInteger(a[key]) || (a[key] as number) < 1) return `For 'properties/${key}', ${JSON.stringify(a[key])} is not a line number (from 1).`;
    }
    if ((a.end_line as number) < (a.start_line as number)) return `"end_line" must be at least "start_line".`;
    if (!ANNOTATION_LEVELS.includes(String(a.annotation_level)))
      return `For 'properties/annotation_level', ${JSON.stringify(a.annotation_level)} is not a member of ${JSON.stringify(ANNOTATION_LEVELS)}.`;
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line)
      return '"start_column" and "end_column" are only allowed when "start_line" and "end_line" are the same.';
    if (typeof a.title === 'string' && [...a.title].length > 255) return 'Annotation title is too long (maximum is 255 characters).';
    for (const key of ['message', 'raw_details']) {
      if (typeof a[key] === 'string' && Buffer.byteLength(a[key] as string) > 64 * 1024) return `Annotation ${key} is too long (maximum is 64 KB).`;
    }
    out.push({
      path: a.path,
      start_line: a.start_line as number,
      end_line: a.end_line as number,
      start_column: typeof a.start_column === 'number' ? a.start_column : null,
      end_column: typeof a.end_column === 'number' ? a.end_column : null,
      annotation_level: String(a.annotation_level),
      title: typeof a.title === 'string' ? a.title : null,
      message: String(a.message),
      raw_details: typeof a.raw_details === 'string' ? a.raw_details : null,
      blob_href: `${blobBase}/${a.path}`,
    });
  }
  return out;
}

/** Sends GitHub's 422 for an output over its limits; true when it did. */
function outputProblem(route: Route, output: Record<string, unknown>): boolean {
  for (const field of ['summary', 'text']) {
    const value = output[field];
    if (typeof value === 'string' && Buffer.byteLength(value) > MAX_OUTPUT_BYTES) {
      validationFailed(route, 'CheckRun', 'custom', field, `${field} exceeds a maximum bytesize of ${MAX_OUTPUT_BYTES}`, CHECKS_DOCS);
      return true;
    }
  }
  return false;
}

export class ChecksAndComments {
  readonly checkRuns: RecordedCheckRun[] = [];
  readonly comments: RecordedComment[] = [];
  /** Pull requests the tests declared (`owner/repo#n` → head SHA), for GET /pulls/{n}. */
  readonly pullRequests = new Map<string, string>();

  constructor(private readonly serverUrl: string) {}

  addComment(route: Pick<Route, 'apiUrl' | 'now' | 'nextId'>, repository: string, issueNumber: number, body: string, login = BOT.login): RecordedComment {
    const id = route.nextId();
    const comment: RecordedComment = {
      id,
      node_id: `IC_${id}`,
      url: `${route.apiUrl}/repos/${repository}/issues/comments/${id}`,
      html_url: `${this.serverUrl}/${repository}/pull/${issueNumber}#issuecomment-${id}`,
      body,
      user: simpleUser(
        this.urls(route),
        login,
        login === BOT.login ? BOT.id : 1000 + id,
        login === BOT.login ? BOT.type : login.endsWith('[bot]') ? 'Bot' : 'User',
      ),
      created_at: route.now,
      updated_at: route.now,
      issue_url: `${route.apiUrl}/repos/${repository}/issues/${issueNumber}`,
      author_association: login === BOT.login ? 'NONE' : 'MEMBER',
      repository,
      issue_number: issueNumber,
    };
    this.comments.push(comment);
    return comment;
  }

  private urls(route: Pick<Route, 'apiUrl'>) {
    return { api: route.apiUrl, server: this.serverUrl };
  }

  /** Serves the request when it is one of these endpoints; false when it is not. */
  handle(route: Route): boolean {
    const checks = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+)(\/annotations)?)?\/?$/.exec(route.path);
    if (checks) {
      this.checkRunRoute(route, `${checks[1]}/${checks[2]}`, checks[3] === undefined ? undefined : Number(checks[3]), checks[4] !== undefined);
      return true;
    }
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments\/?$/.exec(route.path);
    if (list) {
      this.commentsRoute(route, `${list[1]}/${list[2]}`, Number(list[3]));
      return true;
    }
    const pull = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/?$/.exec(route.path);
    if (pull) {
      const repository = `${pull[1]}/${pull[2]}`;
      const number = Number(pull[3]);
      const sha = this.pullRequests.get(`${repository}#${number}`);
      if (route.method !== 'GET' || sha === undefined) route.error(404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request');
      else route.send(200, pullRequest(this.urls(route), repository, number, sha, route.now));
      return true;
    }
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)\/?$/.exec(route.path);
    if (one) {
      this.commentRoute(route, `${one[1]}/${one[2]}`, Number(one[3]));
      return true;
    }
    return false;
  }

  private publicCheckRun({ repository: _r, annotations: _a, annotationBatches: _b, ...run }: RecordedCheckRun) {
    return run;
  }

  private checkRunRoute(route: Route, repository: string, id: number | undefined, annotations: boolean) {
    const { body } = route;
    if (id === undefined) {
      if (route.method !== 'POST') return route.error(404, 'Not Found', CHECKS_DOCS);
      if (typeof body.name !== 'string' || body.name === '') return invalid(route, '"name" wasn\'t supplied.', CHECKS_DOCS);
      if (typeof body.head_sha !== 'string' || body.head_sha === '') return invalid(route, '"head_sha" wasn\'t supplied.', CHECKS_DOCS);
      if (!/^[0-9a-f]{40}$/.test(body.head_sha))
        return validationFailed(route, 'CheckRun', 'invalid', 'head_sha', `No commit found for SHA: ${body.head_sha}`, CHECKS_DOCS);
      const runId = route.nextId();
      const run: RecordedCheckRun = {
        id: runId,
        head_sha: body.head_sha,
        node_id: `CR_${runId}`,
        external_id: null,
        url: `${route.apiUrl}/repos/${repository}/check-runs/${runId}`,
        html_url: `${this.serverUrl}/${repository}/runs/${runId}`,
        details_url: null,
        status: 'queued',
        conclusion: null,
        started_at: route.now,
        completed_at: null,
        output: {
          title: null,
          summary: null,
          text: null,
          annotations_count: 0,
          annotations_url: `${route.apiUrl}/repos/${repository}/check-runs/${runId}/annotations`,
        },
        name: body.name,
        check_suite: { id: 1 },
        app: actionsApp(this.urls(route)) as RecordedCheckRun['app'],
        pull_requests: [],
        repository,
        annotations: [],
        annotationBatches: [],
      };
      if (!this.apply(route, run, body)) return;
      this.checkRuns.push(run);
      return route.send(201, this.publicCheckRun(run));
    }
    const run = this.checkRuns.find((r) => r.repository === repository && r.id === id);
    if (!run) return route.error(404, 'Not Found', CHECKS_DOCS);
    if (annotations) {
      if (route.method !== 'GET') return route.error(404, 'Not Found', CHECKS_DOCS);
      return route.send(200, pageOf(route, run.annotations, `/repos/${repository}/check-runs/${id}/annotations`));
    }
    if (route.method === 'GET') return route.send(200, this.publicCheckRun(run));
    if (route.method !== 'PATCH') return route.error(404, 'Not Found', CHECKS_DOCS);
    const updated = structuredClone(run);
    if (!this.apply(route, updated, body)) return;
    Object.assign(run, updated);
    return route.send(200, this.publicCheckRun(run));
  }

  /** Applies a create's or update's fields to `run`; false once a 422 has been sent. */
  private apply(route: Route, run: RecordedCheckRun, body: Record<string, unknown>): boolean {
    if (typeof body.name === 'string' && body.name !== '') run.name = body.name;
    if (typeof body.details_url === 'string') run.details_url = body.details_url;
    if (typeof body.external_id === 'string') run.external_id = body.external_id;
    if (typeof body.started_at === 'string') run.started_at = body.started_at;
    if (body.status !== undefined) {
      if (!STATUSES.includes(String(body.status))) {
        invalid(route, `For 'properties/status', ${JSON.stringify(body.status)} is not a member of ${JSON.stringify(STATUSES)}.`, CHECKS_DOCS);
        return false;
      }
      run.status = String(body.status);
    }
    if (body.conclusion !== undefined) {
      if (!CONCLUSIONS.includes(String(body.conclusion))) {
        invalid(route, `For 'properties/conclusion', ${JSON.stringify(body.conclusion)} is not a member of ${JSON.stringify(CONCLUSIONS)}.`, CHECKS_DOCS);
        return false;
      }
      // Giving a conclusion completes the run, as the docs say.
      run.conclusion = String(body.conclusion);
      run.status = 'completed';
      run.completed_at = typeof body.completed_at === 'string' ? body.completed_at : route.now;
    } else if (run.status === 'completed' && run.conclusion === null) {
      invalid(route, '"conclusion" wasn\'t supplied.', CHECKS_DOCS);
      return false;
    }
    if (body.output !== undefined) {
      const output = body.output as Record<string, unknown>;
      if (typeof output !== 'object' || output === null) {
        invalid(route, "For 'properties/output', it is not an object.", CHECKS_DOCS);
        return false;
      }
      if (typeof output.summary !== 'string') {
        invalid(route, '"summary" wasn\'t supplied.', CHECKS_DOCS);
        return false;
      }
      // Required on create; an update keeps the stored title when none is given.
      if (typeof output.title !== 'string' && run.output.title === null) {
        invalid(route, '"title" wasn\'t supplied.', CHECKS_DOCS);
        return false;
      }
      if (outputProblem(route, output)) return false;
      const added = readAnnotations(output.annotations, `${this.serverUrl}/${run.repository}/blob/${run.head_sha}`);
      if (typeof added === 'string') {
        invalid(route, added, CHECKS_DOCS);
        return false;
      }
      if (typeof output.title === 'string') run.output.title = output.title;
      run.output.summary = output.summary;
      if (typeof output.text === 'string') run.output.text = output.text;
      // Annotations are appended to those the run already has.
      run.annotations.push(...added);
      run.annotationBatches.push(added.length);
      run.output.annotations_count = run.annotations.length;
    }
    return true;
  }

  private commentsRoute(route: Route, repository: string, issueNumber: number) {
    const onIssue = this.comments.filter((c) => c.repository === repository && c.issue_number === issueNumber);
    if (route.method === 'GET') {
      const since = route.query.get('since');
      const listed = since ? onIssue.filter((c) => c.updated_at >= since) : onIssue;
      return route.send(200, pageOf(route, listed, `/repos/${repository}/issues/${issueNumber}/comments`).map(publicComment));
    }
    if (route.method !== 'POST') return route.error(404, 'Not Found', COMMENTS_DOCS);
    if (!this.bodyIsValid(route)) return;
    return route.send(201, publicComment(this.addComment(route, repository, issueNumber, route.body.body as string, route.login)));
  }

  private commentRoute(route: Route, repository: string, id: number) {
    const comment = this.comments.find((c) => c.repository === repository && c.id === id);
    if (!comment) return route.error(404, 'Not Found', COMMENTS_DOCS);
    if (route.method === 'GET') return route.send(200, publicComment(comment));
    if (route.method !== 'PATCH') return route.error(404, 'Not Found', COMMENTS_DOCS);
    if (!this.bodyIsValid(route)) return;
    comment.body = route.body.body as string;
    comment.updated_at = route.now;
    return route.send(200, publicComment(comment));
  }

  private bodyIsValid(route: Route): boolean {
    const body = route.body.body;
    if (typeof body !== 'string' || body === '') {
      invalid(route, '"body" wasn\'t supplied.', COMMENTS_DOCS);
      return false;
    }
    if ([...body].length > MAX_COMMENT_CHARACTERS) {
      validationFailed(route, 'IssueComment', 'unprocessable', 'data', `Body is too long (maximum is ${MAX_COMMENT_CHARACTERS} characters)`, COMMENTS_DOCS);
      return false;
    }
    return true;
  }
}

function publicComment({ repository: _r, issue_number: _n, ...comment }: RecordedComment) {
  return comment;
}
