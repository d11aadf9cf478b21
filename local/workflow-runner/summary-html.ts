/**
 * A job summary (GITHUB_STEP_SUMMARY) rendered as GitHub renders it: GitHub-flavoured Markdown
 * (`marked` with GFM on), the HTML then sanitised to the elements and attributes GitHub's own
 * filter keeps (no scripts, styles, classes or event handlers; links to http, https, mailto and
 * anchors only), and each ```mermaid fence left as `<pre lang="mermaid">` for Mermaid itself to
 * draw in the page, as GitHub does. Also what GitHub would refuse or show broken: a step summary
 * over 1 MiB (GitHub drops it with an error) and a table row whose cells do not match its header
 * (GFM silently drops the extra cells of a row with a stray pipe).
 */
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** GitHub's limit for one step's summary: "supports content up to a size of 1024k". */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface RenderedSummary {
  html: string;
  /** ```mermaid fences, each left for Mermaid to draw. */
  mermaidBlocks: number;
  tables: number;
  /** Why GitHub would not show it as written; empty when it would. */
  problems: string[];
}

// GitHub's sanitisation allow-list (html-pipeline's SanitizationFilter, as github.com applies it
// to Markdown): these elements, these attributes, these protocols.
// biome-ignore format: a list
const ALLOWED_TAGS = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'br', 'b', 'i', 'strong', 'em', 'a', 'pre', 'code', 'img', 'tt', 'div', 'ins', 'del', 'sup', 'sub',
  'p', 'ol', 'ul', 'table', 'thead', 'tbody', 'tfoot', 'blockquote', 'dl', 'dt', 'dd', 'kbd', 'q', 'samp', 'var', 'hr', 'ruby', 'rt', 'rp', 'li', 'tr',
  'td', 'th', 's', 'strike', 'summary', 'details', 'caption', 'figure', 'figcaption', 'abbr', 'bdo', 'cite', 'dfn', 'mark', 'small', 'span', 'time',
  'wbr', 'input',
];
// biome-ignore format: a list
const COMMON_ATTRIBUTES = ['abbr', 'align', 'alt', 'axis', 'border', 'cellpadding', 'cellspacing', 'colspan', 'dir', 'headers', 'height', 'hreflang', 'lang', 'nowrap', 'rowspan', 'scope', 'summary', 'title', 'valign', 'width'];
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': COMMON_ATTRIBUTES,
    a: ['href', 'id', 'name'],
    img: ['src', 'longdesc'],
    div: ['itemscope', 'itemtype'],
    blockquote: ['cite'],
    del: ['cite'],
    ins: ['cite'],
    q: ['cite'],
    details: ['open'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  // Task-list checkboxes only: any other input is dropped.
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs.type !== 'checkbox',
};

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  renderer: {
    // GitHub marks a fenced block's language on <pre lang>; its page then draws mermaid fences.
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').split(/\s/)[0] ?? '';
      return `<pre${language ? ` lang="${escapeHtml(language)}"` : ''}><code>${escapeHtml(text)}</code></pre>\n`;
    },
  },
});

/** The cells of one raw GFM table row: split on pipes not escaped with a backslash (inside code spans too, as GFM does). */
function rowCells(line: string): number {
  const trimmed = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).length;
}

function tableProblems(table: Tokens.Table): string[] {
  const lines = table.raw.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  const expected = rowCells(header);
  const problems: string[] = [];
  lines.slice(2).forEach((line, i) => {
    const cells = rowCells(line);
    if (cells !== expected)
      problems.push(
        `table row ${i + 1} has ${cells} cells where its header has ${expected} (a stray or missing "|"; GitHub ${cells > expected ? 'drops the extra cells' : 'leaves cells empty'}): ${line.trim().slice(0, 120)}`,
      );
  });
  return problems;
}

export function renderSummary(markdown: string): RenderedSummary {
  const problems: string[] = [];
  const bytes = Buffer.byteLength(markdown, 'utf8');
  if (bytes > STEP_SUMMARY_LIMIT_BYTES)
    problems.push(`the summary is ${bytes} bytes; GitHub shows at most ${STEP_SUMMARY_LIMIT_BYTES} bytes (1 MiB) per step and drops a larger one`);
  let mermaidBlocks = 0;
  let tables = 0;
  let html: string;
  try {
    const tokens = marked.lexer(markdown);
    marked.walkTokens(tokens, (token) => {
      if (token.type === 'code' && /^mermaid\b/.test((token as Tokens.Code).lang ?? '')) mermaidBlocks++;
      if (token.type === 'table') {
        tables++;
        problems.push(...tableProblems(token as Tokens.Table));
      }
    });
    html = sanitizeHtml(marked.parser(tokens), SANITIZE);
  } catch (e) {
    problems.push(`the Markdown did not render: ${(e as Error).message}`);
    html = `<pre>${escapeHtml(markdown)}</pre>`;
  }
  return { html, mermaidBlocks, tables, problems };
}
