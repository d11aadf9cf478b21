// One measured run for bench/junit-parse.ts, in its own process so its peak memory is its own:
//   tsx bench/_junit-parse-child.ts <report.xml> parse|fold|read
// `parse` streams the report through the parser into the results and renders the summary and
// JSON report as the action does; `fold` does the same with fold-retries (each suite's tests
// held until the suite closes); `read` only streams the file's bytes (the I/O floor).
import { createReadStream } from 'node:fs';
import { parseJUnitReport } from '../shared/test-report/junit-parser.js';
import { TestResults } from '../shared/test-report/results.js';
import { RetryFolder } from '../shared/test-report/retry-folding.js';
import { buildTierReport } from '../shared/test-tier/report.js';
import { renderTierSummary } from '../shared/test-tier/summary.js';
import { checkBudget, decideVerdict } from '../shared/test-tier/verdict.js';

const [file, mode] = process.argv.slice(2) as [string, string];
const started = process.hrtime.bigint();
let total = 0;
if (mode === 'read') {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) total += (chunk as string).length;
} else {
  const results = new TestResults();
  if (mode === 'fold') {
    const folder = new RetryFolder((t) => results.add(t));
    await parseJUnitReport(file, (t) => folder.add(t), { onSuiteEnd: (index) => folder.endSuite(index) });
    folder.end();
  } else {
    await parseJUnitReport(file, (t) => results.add(t));
  }
  results.addReport({ file, tests: results.counts.total });
  const budget = checkBudget(60_000, 300_000);
  const verdict = decideVerdict({
    tier: 'unit',
    exitCode: 1,
    cancelled: false,
    counts: results.counts,
    budget,
    onBudgetExceeded: 'fail',
    reportsFound: 1,
    failOnEmpty: true,
    malformed: [],
  });
  const report = buildTierReport({ tier: 'unit', verdict, exitCode: 1, budget, results, locations: [], staleReports: [], workspace: '/' });
  const html = renderTierSummary(report, budget, '/tmp/report.json').html;
  total = results.counts.total + JSON.stringify(report).length * 0 + html.length * 0;
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, total }));
