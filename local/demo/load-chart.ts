/**
 * A chart of the load on a service during one stage, drawn as inline SVG from the load
 * generator's record of every answer (`onResult`: ok, body, at): requests per second by version
 * served, stacked, and failed requests per second below on their own scale — so the canary's 10 %,
 * the alarm cutting off the 5xx release and a gate that lets nothing through show at a glance.
 */
import type { LoadResult } from './load-generator.js';

const WIDTH = 960;
const LEFT = 56;
const RIGHT = 12;
const TOP = 48;
const SERVED_HEIGHT = 170;
const FAILED_TOP = TOP + SERVED_HEIGHT + 34;
const FAILED_HEIGHT = 60;
const HEIGHT = FAILED_TOP + FAILED_HEIGHT + 28;
const PALETTE = ['#0969da', '#1a7f37', '#8250df', '#bf8700', '#1b7c83', '#6e7781'];
const FAILED = '#cf222e';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Buckets {
  bucketMs: number;
  /** Per bucket: answers by version served, and failed requests. */
  served: Record<string, number>[];
  failed: number[];
  versions: string[];
  totals: Record<string, number>;
  failedTotal: number;
  spanMs: number;
}

/** Answers counted per time bucket (a second, or longer so a long stage keeps at most ~120 bars). */
export function bucketAnswers(answers: readonly LoadResult[]): Buckets {
  const t0 = Math.min(...answers.map((a) => a.at));
  const spanMs = Math.max(1, Math.max(...answers.map((a) => a.at)) - t0);
  const bucketMs = Math.max(1000, Math.ceil(spanMs / 120 / 1000) * 1000);
  const count = Math.floor(spanMs / bucketMs) + 1;
  const served = Array.from({ length: count }, () => ({}) as Record<string, number>);
  const failed = new Array<number>(count).fill(0);
  const versions: string[] = [];
  const totals: Record<string, number> = {};
  for (const a of answers) {
    const i = Math.floor((a.at - t0) / bucketMs);
    if (!a.ok) {
      failed[i]! += 1;
      continue;
    }
    // At most six series: the rest is "other".
    const key = versions.includes(a.body) || versions.length < PALETTE.length - 1 ? a.body : 'other';
    if (!versions.includes(key)) versions.push(key);
    served[i]![key] = (served[i]![key] ?? 0) + 1;
    totals[key] = (totals[key] ?? 0) + 1;
  }
  return { bucketMs, served, failed, versions, totals, failedTotal: failed.reduce((a, b) => a + b, 0), spanMs };
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

function axes(b: Buckets, servedMax: number, failedMax: number): string {
  const plotW = WIDTH - LEFT - RIGHT;
  const parts = [
    `<line x1="${LEFT}" y1="${TOP + SERVED_HEIGHT}" x2="${WIDTH - RIGHT}" y2="${TOP + SERVED_HEIGHT}" stroke="#8c959f"/>`,
    `<line x1="${LEFT}" y1="${FAILED_TOP + FAILED_HEIGHT}" x2="${WIDTH - RIGHT}" y2="${FAILED_TOP + FAILED_HEIGHT}" stroke="#8c959f"/>`,
    `<text x="${LEFT - 6}" y="${TOP + 4}" text-anchor="end">${servedMax}/s</text>`,
    `<text x="${LEFT - 6}" y="${TOP + SERVED_HEIGHT}" text-anchor="end">0</text>`,
    `<text x="${LEFT - 6}" y="${FAILED_TOP + 4}" text-anchor="end">${failedMax}/s</text>`,
    `<text x="${LEFT - 6}" y="${FAILED_TOP + FAILED_HEIGHT}" text-anchor="end">0</text>`,
    `<text x="${LEFT}" y="${FAILED_TOP - 6}" fill="${FAILED}">failed requests per second (${b.failedTotal} in all)</text>`,
  ];
  const seconds = b.spanMs / 1000;
  const step = niceMax(seconds / 8);
  for (let s = 0; s <= seconds; s += step) {
    const x = LEFT + (plotW * s) / Math.max(seconds, 1);
    parts.push(`<text x="${x.toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${s} s</text>`);
  }
  return parts.join('');
}

function legend(b: Buckets): string {
  let x = LEFT;
  const items = b.versions.map((v, i) => ({ label: `${v}: ${b.totals[v] ?? 0}`, color: PALETTE[i]! }));
  return items
    .map(({ label, color }) => {
      const item = `<rect x="${x}" y="${TOP - 24}" width="12" height="12" fill="${color}"/><text x="${x + 16}" y="${TOP - 14}">${esc(label)}</text>`;
      x += 28 + label.length * 7;
      return item;
    })
    .join('');
}

function bars(b: Buckets, servedMax: number, failedMax: number): string {
  const barW = (WIDTH - LEFT - RIGHT) / b.served.length;
  const perSecond = 1000 / b.bucketMs;
  const parts: string[] = [];
  b.served.forEach((bucket, i) => {
    const x = (LEFT + i * barW).toFixed(1);
    let y = TOP + SERVED_HEIGHT;
    b.versions.forEach((v, s) => {
      const h = ((bucket[v] ?? 0) * perSecond * SERVED_HEIGHT) / servedMax;
      if (h <= 0) return;
      y -= h;
      parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[s]}"/>`);
    });
    const fh = (b.failed[i]! * perSecond * FAILED_HEIGHT) / failedMax;
    if (fh > 0)
      parts.push(`<rect x="${x}" y="${(FAILED_TOP + FAILED_HEIGHT - fh).toFixed(1)}" width="${barW.toFixed(1)}" height="${fh.toFixed(1)}" fill="${FAILED}"/>`);
  });
  return parts.join('');
}

/** The SVG of one stage's load; `title` names it (e.g. "canary 1.5.0 to live"). */
export function renderLoadChart(title: string, answers: readonly LoadResult[]): string {
  const head = `<svg class="load-chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" shape-rendering="crispEdges" font-family="sans-serif" font-size="12" fill="#1f2328">`;
  const heading = `<text x="${LEFT}" y="14" font-weight="bold">${esc(title)}: requests per second by version served</text>`;
  if (answers.length === 0) return `${head}<title>${esc(title)}</title>${heading}<text x="${LEFT}" y="${TOP + 20}">no requests recorded</text></svg>`;
  const b = bucketAnswers(answers);
  const perSecond = 1000 / b.bucketMs;
  const servedMax = niceMax(Math.max(...b.served.map((bucket) => Object.values(bucket).reduce((x, y) => x + y, 0))) * perSecond);
  const failedMax = niceMax(Math.max(1, ...b.failed) * perSecond);
  const summary = `${esc(title)}: ${b.versions.map((v) => `${v} answered ${b.totals[v]}`).join(', ')}; ${b.failedTotal} failed`;
  return `${head}<title>${summary}</title>${heading}${legend(b)}${bars(b, servedMax, failedMax)}${axes(b, servedMax, failedMax)}</svg>`;
}
