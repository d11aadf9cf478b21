/**
 * Runs the local ECS emulator until interrupted.
 *
 *   npm run local-ecs -- [--mode simulated|docker] [--port 4599] [--time-scale 10]
 *                        [--region us-east-1] [--account-id 000000000000]
 *                        [--deregistration-delay-ms 5000] [--verbose]
 *
 * Prints the `export …` lines that point the AWS SDK (and the actions' bundles) at it on stdout,
 * logs on stderr. The registry (for ECR and docker mode) comes from the local stack's environment
 * (CTP_REGISTRY, CTP_REGISTRY_USER, CTP_REGISTRY_PASSWORD_FILE, see `bash local/stack.sh env`),
 * or from --registry/--registry-user/--registry-password-file. SIGINT/SIGTERM stop it cleanly,
 * removing every container and load balancer it started.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installProcessChecker, REPORT_ENV } from '../conformance/process-checker.js';
import { startLocalEcs, type RegistryConfig } from './index.js';

const usage = `usage: local-ecs [--mode simulated|docker] [--port N] [--time-scale N] [--region R] [--account-id ID]
                 [--deregistration-delay-ms N] [--registry HOST:PORT --registry-user U --registry-password-file F] [--verbose]
                 [--fault-throttle RATE] [--fault-5xx RATE] [--fault-drop RATE] [--fault-slow RATE] [--fault-slow-ms MS]
                 [--fault-operations Op1,Op2] [--fault-seed N] [--fault-deny Op1,Op2]`;

function fail(message: string): never {
  process.stderr.write(`local-ecs: ${message}\n${usage}\n`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        mode: { type: 'string', default: 'simulated' },
        port: { type: 'string', default: '0' },
        'time-scale': { type: 'string', default: '1' },
        region: { type: 'string', default: 'us-east-1' },
        'account-id': { type: 'string', default: '000000000000' },
        'deregistration-delay-ms': { type: 'string' },
        registry: { type: 'string' },
        'registry-user': { type: 'string' },
        'registry-password-file': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        'fault-throttle': { type: 'string' },
        'fault-5xx': { type: 'string' },
        'fault-drop': { type: 'string' },
        'fault-slow': { type: 'string' },
        'fault-slow-ms': { type: 'string' },
        'fault-operations': { type: 'string' },
        'fault-seed': { type: 'string' },
        'fault-deny': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (e) {
    fail((e as Error).message);
  }
})();

if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const mode = values.mode;
if (mode !== 'simulated' && mode !== 'docker') fail(`--mode must be simulated or docker, not ${mode}`);
const num = (name: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} must be a non-negative number`);
  return n;
};
const port = num('port', values.port) ?? 0;
const timeScale = num('time-scale', values['time-scale']) ?? 1;
if (timeScale <= 0) fail('--time-scale must be positive');
const deregistrationDelayMs = num('deregistration-delay-ms', values['deregistration-delay-ms']);
const rate = (name: string, value: string | undefined) => {
  const n = num(name, value);
  if (n !== undefined && n > 1) fail(`--${name} is a share of calls between 0 and 1, e.g. 0.2`);
  return n;
};
const faults = {
  ...(values['fault-throttle'] !== undefined ? { throttleRate: rate('fault-throttle', values['fault-throttle']) } : {}),
  ...(values['fault-5xx'] !== undefined ? { serverErrorRate: rate('fault-5xx', values['fault-5xx']) } : {}),
  ...(values['fault-drop'] !== undefined ? { dropRate: rate('fault-drop', values['fault-drop']) } : {}),
  ...(values['fault-slow'] !== undefined ? { slowRate: rate('fault-slow', values['fault-slow']) } : {}),
  ...(values['fault-slow-ms'] !== undefined ? { slowMs: num('fault-slow-ms', values['fault-slow-ms']) } : {}),
  ...(values['fault-seed'] !== undefined ? { seed: num('fault-seed', values['fault-seed']) } : {}),
  ...(values['fault-deny'] !== undefined
    ? {
        deny: values['fault-deny']
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      }
    : {}),
  ...(values['fault-operations'] !== undefined
    ? {
        operations: values['fault-operations']
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      }
    : {}),
};

function registryConfig(): RegistryConfig | undefined {
  const host = values.registry ?? process.env.CTP_REGISTRY;
  const username = values['registry-user'] ?? process.env.CTP_REGISTRY_USER;
  const passwordFile = values['registry-password-file'] ?? process.env.CTP_REGISTRY_PASSWORD_FILE;
  if (!host || !username || !passwordFile) return undefined;
  try {
    return { host, username, password: readFileSync(passwordFile, 'utf8').trim() };
  } catch (e) {
    fail(`cannot read the registry password file ${passwordFile}: ${(e as Error).message}`);
  }
}
const registry = registryConfig();
if (mode === 'docker' && !registry) {
  fail('docker mode needs the registry: run `eval "$(CTP_STATE_DIR=… bash local/stack.sh env)"` first, or pass --registry*');
}

// Under the test suite (which names a report file), every exchange is held to botocore's models.
if (process.env[REPORT_ENV]) installProcessChecker();
const ecs = await startLocalEcs({
  mode,
  port,
  timeScale,
  region: values.region,
  accountId: values['account-id'],
  ...(registry ? { registry } : {}),
  ...(deregistrationDelayMs !== undefined ? { deregistrationDelayMs } : {}),
  ...(Object.keys(faults).length > 0 ? { faults } : {}),
  ...(values.verbose ? { log: (line: string) => process.stderr.write(`[local-ecs] ${line}\n`) } : {}),
}).catch((e: unknown) => fail((e as Error).message));

for (const [key, value] of Object.entries(ecs.env())) process.stdout.write(`export ${key}=${value}\n`);
process.stderr.write(
  `[local-ecs] ${mode} mode on ${ecs.endpoint} (time x${timeScale}${registry ? `, registry ${registry.host}` : ', no registry'}); Ctrl-C to stop\n`,
);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`[local-ecs] ${signal}: stopping tasks and load balancers…\n`);
  ecs.stop().then(
    () => {
      process.stderr.write('[local-ecs] stopped\n');
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`[local-ecs] error while stopping: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
