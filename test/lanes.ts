/**
 * Which test file runs in which lane, and which start first: read by vitest.config.ts, checked by
 * test/shared/test-lanes.test.ts (every path names a test file that exists).
 */

/**
 * The fast lane (`npm run test:fast`): files that start no child process — no Docker, no bundle
 * run through the local runner, no workflow run — and need nothing of the local stack (in-process
 * servers on 127.0.0.1 with ports from the OS are fine). test/helpers/fast-lane-guard.ts makes a
 * child process in these files fail with the reason. A new file goes to the stack lane unless it
 * is listed here. `npm test` runs both lanes together.
 */
export const FAST_LANE = [
  'test/actions/contract.test.ts',
  'test/actions/readme.test.ts',
  'test/build-in-container/build-caches.test.ts',
  'test/build-in-container/container-run-args.test.ts',
  'test/build-in-container/inputs.test.ts',
  'test/build-push-image/inputs.test.ts',
  'test/build-push-image/registry-and-args.test.ts',
  'test/build-push-image/secrets-and-cache-specs.test.ts',
  'test/build-push-image/tags-and-labels.test.ts',
  'test/demo/demo-shape.test.ts',
  'test/demo/load-generator.test.ts',
  'test/ecs-rolling-deploy/deploy-services.test.ts',
  'test/ecs-rolling-deploy/deployment-alarms.test.ts',
  'test/ecs-rolling-deploy/engine.test.ts',
  'test/ecs-rolling-deploy/one-off-task.test.ts',
  'test/ecs-rolling-deploy/preflight-checks.test.ts',
  'test/ecs-rolling-deploy/preflight-subjects.test.ts',
  'test/ecs-rolling-deploy/render.test.ts',
  'test/ecs-rolling-deploy/revision-history.test.ts',
  'test/ecs-rolling-deploy/rollout.test.ts',
  'test/ecs-rolling-deploy/service-deployment.test.ts',
  'test/ecs-rolling-deploy/service-update.test.ts',
  'test/ecs-rolling-deploy/strategy-choice.test.ts',
  'test/ecs-rolling-deploy/task-placement.test.ts',
  'test/github-api/checks-and-comments.test.ts',
  'test/github-api/local-github-api.test.ts',
  'test/local-ecs/cloudwatch.test.ts',
  'test/local-ecs/conformance.test.ts',
  'test/local-ecs/deployment-alarms.test.ts',
  'test/local-ecs/deployment-semantics.test.ts',
  'test/local-ecs/elbv2.test.ts',
  'test/local-ecs/load-balancer.test.ts',
  'test/local-ecs/native-strategies.test.ts',
  'test/local-ecs/rollout.test.ts',
  'test/local-ecs/service-deployments.test.ts',
  'test/local-ecs/service-settings.test.ts',
  'test/metrics/bands.test.ts',
  'test/metrics/graphql-endpoint.test.ts',
  'test/metrics/history.test.ts',
  'test/metrics/read-github.test.ts',
  'test/metrics/report.test.ts',
  'test/metrics/rules.test.ts',
  'test/metrics/summary.test.ts',
  'test/metrics/window.test.ts',
  'test/rollback/rules.test.ts',
  'test/run-test-tier/container-image-input.test.ts',
  'test/run-test-tier/junit-parser.test.ts',
  'test/run-test-tier/logic.test.ts',
  'test/run-test-tier/workflow-example.test.ts',
  'test/shared/image-reference.test.ts',
  'test/shared/inputs.test.ts',
  'test/shared/undici-on-demand.test.ts',
  'test/shared/layout.test.ts',
  'test/shared/summary.test.ts',
  'test/shared/test-lanes.test.ts',
  'test/shared/test-publish.test.ts',
  'test/shared/test-shard.test.ts',
  'test/workflows/actionlint.test.ts',
  'test/workflows/examples.test.ts',
  'test/workflows/expressions.test.ts',
  'test/workflows/run-page-graph.test.ts',
  'test/workflows/summary-html.test.ts',
];

/**
 * Files that start first, longest first: with files running side by side, a long file started
 * last would alone set the suite's wall time. Seconds measured in a parallel run (2 cores); only
 * the order matters. After a run, vitest's own cache of durations (node_modules/.vite) wins.
 */
export const KNOWN_SLOW: Record<string, number> = {
  'test/demo/e2e.test.ts': 250,
  // The next ten of a clean-clone run (issue 29), for a clone with no cache yet (CI's).
  'test/run-test-tier/compose.test.ts': 62,
  'test/ecs-rolling-deploy/deploy.test.ts': 54,
  'test/run-test-tier/publish.test.ts': 46,
  'test/ecs-rolling-deploy/native-strategies.test.ts': 45,
  'test/release/record.test.ts': 39,
  'test/workflows/pipeline-provenance.test.ts': 36,
  'test/build-in-container/action.test.ts': 35,
  'test/run-test-tier/action.test.ts': 34,
  'test/ecs-rolling-deploy/alarms.test.ts': 34,
  'test/rollback/rollback.test.ts': 30,
};
