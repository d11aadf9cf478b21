// The pipeline on one machine: brings up the local stack and the ECS emulator, runs the sample
// app's releases through the workflows with the local workflow runner, puts load on the load
// balancer during every deploy, prints a table of the stages and writes the demo's page. Exit
// code 0 only when every stage did what it must.
//   npx tsx local/demo.ts [--keep]
import { installProcessChecker } from './conformance/process-checker.js';
import { formatDuration, formatReportTable } from './demo/report-table.js';
import { runDemo } from './demo/run-demo.js';

const keep = process.argv.includes('--keep');
const unknown = process.argv.slice(2).filter((a) => a !== '--keep');
if (unknown.length) {
  console.error(`unknown option ${unknown[0]} (usage: npx tsx local/demo.ts [--keep])`);
  process.exit(2);
}
// Ctrl-C: the emulator's containers are removed before the demo exits, never left behind.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) return;
    console.log(`\n${signal}: stopping the load and removing the demo's containers…`);
    controller.abort();
  });
}
// Every exchange with the emulator and the GitHub stand-in is held to AWS's and GitHub's
// published models (local/conformance); a violation fails the demo.
const conformance = installProcessChecker();
const result = await runDemo({ keep, signal: controller.signal, onAborted: () => process.exit(130) });
// Fitted to the terminal (100 columns when the output is not one, as in CI's log).
console.log(`\n${formatReportTable(result.rows, process.stdout.columns || 100)}`);
for (const [stage, report] of Object.entries(result.load)) {
  const answers = Object.entries(report.bodies)
    .map(([body, n]) => `${body}: ${n}`)
    .join(', ');
  const failures = Object.entries(report.failures)
    .map(([why, n]) => `${why}: ${n}`)
    .join(', ');
  console.log(
    `load during ${stage}: ${report.sent} requests in ${formatDuration(report.durationMs)} — answered ${answers || 'nothing'}${failures ? `; failed ${failures}` : ''}`,
  );
}
if (result.error) console.log(`\nthe demo stopped: ${result.error}`);
console.log(`\n${conformance.summary()}`);
const ok = result.ok && conformance.violations.length === 0;
console.log(`\nthe demo's page (stage table, load charts, every run with its summaries): ${result.page}`);
console.log(
  `\n${ok ? 'demo passed' : 'demo FAILED'} in ${formatDuration(result.durationMs)}; full log: ${result.logFile}${keep ? `; workspace kept: ${result.workspace}` : ''}`,
);
process.exit(ok ? 0 : 1);
