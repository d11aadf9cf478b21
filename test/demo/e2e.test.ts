import { describe, expect, it } from 'vitest';
import { formatReportTable } from '../../local/demo/report-table.js';
import { runDemo } from '../../local/demo/run-demo.js';

// The demo's whole path (`npm run demo`): all five actions through the workflow runner, the ECS
// emulator in docker mode, real images in the registry, real requests through the load balancer.
describe('the demo, end to end', () => {
  it(
    'carries the sample app from commit to production and back, with no failed request',
    async () => {
      const result = await runDemo({ log: () => {} });
      const table = formatReportTable(result.rows);
      const served = Object.fromEntries(result.rows.map((r) => [r.stage.split('.')[0]!.trim(), r.versionServed]));
      expect(result.error, table).toBeUndefined();
      // The version served after each stage.
      expect(served, table).toMatchObject({ '0': '1.0.0', '3': '1.1.0', '4': '1.1.0', '5': '1.0.0' });
      // Zero failed requests during the healthy deploy and during the automatic rollback.
      const healthy = result.load['deploy 1.1.0']!;
      const broken = result.load['deploy broken 1.2.0']!;
      expect(healthy.sent, table).toBeGreaterThan(0);
      expect(healthy.failed, table).toBe(0);
      expect(broken.sent, table).toBeGreaterThan(0);
      expect(broken.failed, table).toBe(0);
      // The broken release never receives traffic.
      expect(broken.bodies['1.2.0'], table).toBeUndefined();
      expect(Object.keys(broken.bodies), table).toEqual(['1.1.0']);
      // The manual rollback restores the release before the one running, without failures.
      expect(result.load['rollback.yml']!.failed, table).toBe(0);
      expect(result.ok, table).toBe(true);
      expect(result.durationMs).toBeLessThan(5 * 60_000);
    },
    6 * 60_000,
  );
});
