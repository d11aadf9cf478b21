/**
 * What the pins of our own actions point to. A user copies `workflows-examples/` (or a README's
 * snippet) and runs `<owner>/commit-to-prod/actions/<name>@<sha>`: the action as it was at that
 * commit, not as it is in this working tree. GitHub only warns about an input the action does not
 * declare, then runs the old code; so each pin is resolved in this repository's git history and
 * the workflow is checked against the action.yml *at that commit*: the commit exists, is on main,
 * the `# vX.Y.Z` beside it names a tag of that commit (when the tag exists here), and its
 * action.yml declares every input passed and every output read.
 *
 * `rewritePins` is the other half: it moves every pin to one commit (scripts/pin-examples.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OUR_REPOSITORY } from '../workflow-runner/action-refs.js';
import { propertyChains } from '../workflow-runner/expression-reads.js';
import { type ActionInterface, actionInterfaceOf, checkWorkflowFile } from './check-workflow.js';

/** `<owner>/commit-to-prod/actions/<name>@<ref>` and the comment after it, as written in YAML or in a markdown code span. */
const PIN = new RegExp(`([A-Za-z0-9_.-]+/${OUR_REPOSITORY}/actions/([a-z0-9-]+))@(<[^>\\n]*>|[^\\s\`'"]+)([ \\t]+#[^\\n\`]*)?`, 'g');

export interface Pin {
  file: string;
  line: number;
  action: string;
  ref: string;
  /** The text after `#`, trimmed ('' when none). */
  comment: string;
}

/** Every file that shows a pin of our actions to users: the examples, their README, the top README and each action's README. */
export function pinDocuments(root: string): string[] {
  const files: string[] = [];
  const examples = path.join(root, 'workflows-examples');
  if (existsSync(examples)) for (const f of readdirSync(examples).sort()) if (/\.(ya?ml|md)$/.test(f)) files.push(path.join(examples, f));
  if (existsSync(path.join(root, 'README.md'))) files.push(path.join(root, 'README.md'));
  const actions = path.join(root, 'actions');
  if (existsSync(actions))
    for (const a of readdirSync(actions).sort()) {
      const readme = path.join(actions, a, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  return files;
}

export function findPins(file: string, text: string): Pin[] {
  const pins: Pin[] = [];
  text.split('\n').forEach((content, i) => {
    for (const m of content.matchAll(PIN)) pins.push({ file, line: i + 1, action: m[2]!, ref: m[3]!, comment: (m[4] ?? '').trim().replace(/^#\s*/, '') });
  });
  return pins;
}

/** Every pin in `text` moved to `sha`, with `comment` beside it (templates such as `actions/<name>@<sha>` in prose are left as they are). */
export function rewritePins(text: string, sha: string, comment: string): string {
  return text.replace(PIN, (_all, prefix: string) => `${prefix}@${sha} # ${comment}`);
}

/** This repository's history, read with git plumbing (a clone made by `git clone` has all of it). */
export class PinnedHistory {
  readonly mainRef: string;
  private readonly interfaces = new Map<string, ActionInterface | string>();
  private readonly verdicts = new Map<string, string | undefined>();

  constructor(readonly repo: string) {
    // main as this clone knows it: the local branch, else the remote's; a clone of another
    // branch with neither judges against HEAD, and says so in every problem.
    this.mainRef =
      ['refs/heads/main', 'refs/remotes/origin/main'].find((r) => this.git(['rev-parse', '--verify', '-q', `${r}^{commit}`]) !== undefined) ?? 'HEAD';
  }

  private git(args: string[]): string | undefined {
    try {
      return execFileSync('git', args, { cwd: this.repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 });
    } catch {
      return undefined;
    }
  }

  /**
   * Why the pin cannot be trusted, or undefined when it resolves to a commit of main. Asked once
   * per SHA and comment: the files users copy hold ~44 pins, mostly of one commit, and each
   * answer took up to three git processes.
   */
  commitProblem(pin: Pin): string | undefined {
    const key = `${pin.ref} ${pin.comment}`;
    if (!this.verdicts.has(key)) this.verdicts.set(key, this.judge(pin));
    return this.verdicts.get(key);
  }

  private judge(pin: Pin): string | undefined {
    if (!/^[0-9a-f]{40}$/.test(pin.ref))
      return `'${pin.ref}' is not a full commit SHA: a tag or branch can be moved under a user's workflow; pin a commit of main (npm run pin-examples -- <sha> --comment vX.Y.Z)`;
    if (this.git(['cat-file', '-e', `${pin.ref}^{commit}`]) === undefined) return `commit ${pin.ref} does not exist in this repository`;
    if (this.git(['merge-base', '--is-ancestor', pin.ref, this.mainRef]) === undefined)
      return `commit ${pin.ref} is not on main (${this.mainRef}): a user's workflow would run a commit no release came from`;
    if (!/^v\d/.test(pin.comment)) return `no '# vX.Y.Z' comment beside the SHA says which release it is (got '${pin.comment}')`;
    const tagged = this.git(['rev-parse', '--verify', '-q', `refs/tags/${pin.comment.split(/\s/)[0]}^{commit}`])?.trim();
    if (tagged && tagged !== pin.ref) return `the comment names ${pin.comment.split(/\s/)[0]}, which is commit ${tagged}, not the pinned ${pin.ref}`;
    return undefined;
  }

  /** The action's interface at a commit, or why there is none. */
  actionAt(sha: string, action: string): ActionInterface | string {
    const key = `${sha}:${action}`;
    let found = this.interfaces.get(key);
    if (found === undefined) {
      const text = /^[0-9a-f]{40}$/.test(sha) ? this.git(['cat-file', 'blob', `${sha}:actions/${action}/action.yml`]) : undefined;
      found = text === undefined ? `no actions/${action}/action.yml at commit ${sha}` : actionInterfaceOf(text);
      this.interfaces.set(key, found);
    }
    return found;
  }
}

function where(root: string, pin: Pin): string {
  return `${path.relative(root, pin.file)}:${pin.line}`;
}

/** The pins of one workflow file: each resolved, then the workflow checked against the action.yml at its commit. */
async function checkWorkflowPins(root: string, history: PinnedHistory, file: string, pins: Pin[]): Promise<string[]> {
  const problems: string[] = [];
  for (const pin of pins) {
    const why = history.commitProblem(pin);
    if (why) problems.push(`${where(root, pin)}: ${pin.action}@${pin.ref}: ${why}`);
  }
  const { problems: atPins } = await checkWorkflowFile(file, {
    root,
    actionInterface: (action, uses) => {
      const ref = uses.slice(uses.lastIndexOf('@') + 1);
      return /^[0-9a-f]{40}$/.test(ref) ? history.actionAt(ref, action) : `pinned to '${ref}', not a commit: what it runs cannot be known`;
    },
  });
  // Only what the pinned commits add: problems against the working tree are examples.test.ts's.
  const inTree = new Set((await checkWorkflowFile(file, { root })).problems);
  for (const p of atPins) if (!inTree.has(p)) problems.push(`${path.relative(root, file)}: ${p}`);
  return problems;
}

interface SnippetStep {
  id?: string;
  uses: string;
  with: string[];
}

function snippetSteps(node: unknown, found: SnippetStep[] = []): SnippetStep[] {
  if (Array.isArray(node)) for (const item of node) snippetSteps(item, found);
  else if (node && typeof node === 'object') {
    const step = node as { uses?: unknown; id?: unknown; with?: unknown };
    if (typeof step.uses === 'string' && step.uses.includes(`/${OUR_REPOSITORY}/actions/`))
      found.push({
        uses: step.uses,
        with: step.with && typeof step.with === 'object' ? Object.keys(step.with) : [],
        ...(typeof step.id === 'string' ? { id: step.id } : {}),
      });
    for (const value of Object.values(node)) snippetSteps(value, found);
  }
  return found;
}

/** The YAML code blocks of a markdown file, dedented, with the line each starts on. */
function yamlBlocks(text: string): { line: number; source: string }[] {
  const blocks: { line: number; source: string }[] = [];
  for (const m of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
    const lines = m[1]!.split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
    blocks.push({ line: text.slice(0, m.index).split('\n').length + 1, source: lines.map((l) => l.slice(indent)).join('\n') });
  }
  return blocks;
}

/** A README's snippets: every step of ours passes inputs its pinned action.yml declares, and reads outputs it declares. */
function checkSnippetPins(root: string, history: PinnedHistory, file: string, text: string, pins: Pin[]): string[] {
  const problems: string[] = [];
  for (const pin of pins) {
    const why = history.commitProblem(pin);
    if (why) problems.push(`${where(root, pin)}: ${pin.action}@${pin.ref}: ${why}`);
  }
  for (const block of yamlBlocks(text)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(block.source);
    } catch {
      continue; // a fragment that is not YAML on its own; its pins were still resolved above
    }
    const steps = snippetSteps(parsed);
    const at = `${path.relative(root, file)} (snippet at line ${block.line})`;
    for (const step of steps) {
      const m = /\/actions\/([a-z0-9-]+)@([0-9a-f]{40})$/.exec(step.uses);
      if (!m) continue; // not a commit: reported as a pin above
      const action = history.actionAt(m[2]!, m[1]!);
      if (typeof action === 'string') {
        problems.push(`${at}: ${step.uses}: ${action}`);
        continue;
      }
      for (const name of step.with)
        if (!(name in action.inputs)) problems.push(`${at}: ${step.uses} declares no input '${name}' (it has: ${Object.keys(action.inputs).join(', ')})`);
      if (!step.id) continue;
      for (const expression of block.source.matchAll(/\$\{\{([\s\S]*?)\}\}/g))
        for (const [context, id, outputs, name] of propertyChains(expression[1]!))
          if (context === 'steps' && id === step.id && outputs === 'outputs' && name !== undefined && !action.outputs.has(name))
            problems.push(`${at}: steps.${id}.outputs.${name} does not exist at ${m[2]} (outputs of ${m[1]}: ${[...action.outputs].join(', ') || 'none'})`);
    }
  }
  return problems;
}

/** Every problem with the pins of our actions in the files users copy, each naming file and line. */
export async function checkPins(root: string, files = pinDocuments(root)): Promise<string[]> {
  const history = new PinnedHistory(root);
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const pins = findPins(file, text);
    if (!pins.length) continue;
    if (/\.ya?ml$/.test(file)) problems.push(...(await checkWorkflowPins(root, history, file, pins)));
    else problems.push(...checkSnippetPins(root, history, file, text, pins));
  }
  return problems;
}
