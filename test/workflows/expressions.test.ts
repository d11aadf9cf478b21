import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateExpression, expressionDataToString } from '../../local/workflow-runner/expressions.js';

const contexts = {
  github: { ref: 'refs/heads/main', event: { inputs: { n: '3' } } },
  steps: { build: { outputs: { digest: 'sha256:abc' }, outcome: 'success' } },
  needs: { image: { outputs: { ref: 'r@sha256:abc' }, result: 'success' } },
  inputs: { loud: true, times: 2 },
  env: { NAME: 'x' },
};
const str = (e: string) => expressionDataToString(evaluateExpression(e, { contexts }));

describe('expressions (GitHub’s evaluator with the runner’s functions and contexts)', () => {
  it.each([
    ["format('a ''{0}'' b', 'v')", "a 'v' b"],
    ["'it''s ''quoted'''", "it's 'quoted'"],
    ['steps.build.outputs.digest', 'sha256:abc'],
    ["steps['build'].outputs['digest']", 'sha256:abc'],
    ['steps.missing.outputs.x', ''],
    ['needs.image.outputs.ref', 'r@sha256:abc'],
    ["github.ref == 'refs/heads/main' && 'yes' || 'no'", 'yes'],
    ['inputs.loud', 'true'],
    ['inputs.times', '2'],
    ['fromJSON(github.event.inputs.n) > 2', 'true'],
    ["contains(github.ref, 'main')", 'true'],
    ["startsWith(github.ref, 'refs/tags/')", 'false'],
    ['toJSON(needs.image.outputs)', '{\n  "ref": "r@sha256:abc"\n}'],
    ["join(fromJSON('[1,2]'), '-')", '1-2'],
  ])('%s → %j', (expression, expected) => {
    expect(str(expression)).toBe(expected);
  });

  it.each([
    ['success()', { success: true, failure: false }, true],
    ['success()', { success: false, failure: true }, false],
    ['failure()', { success: false, failure: true }, true],
    ['always()', { success: false, failure: true }, true],
    ['cancelled()', { success: true, failure: false }, false],
    ["success() && (env.NAME == 'x')", { success: true, failure: false }, true],
    ["success() && (env.NAME == 'y')", { success: true, failure: false }, false],
  ])('%s with %j → %s', (expression, status, expected) => {
    expect(evaluateCondition(expression, { contexts, status })).toBe(expected);
  });

  it('says what it cannot evaluate instead of guessing', () => {
    expect(() => str("hashFiles('**/pom.xml')")).toThrow('hashFiles() is not supported by the local workflow runner');
    expect(() => str('nope.x')).toThrow(/Unrecognized named-value: 'nope'/);
  });
});
