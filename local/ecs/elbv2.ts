/**
 * An emulated Elastic Load Balancing v2 on the emulator's endpoint, for the one read the deploy
 * actions make: DescribeTargetGroups (preflight: the service's target groups exist). ELBv2 speaks
 * the awsQuery protocol (botocore's elbv2/2015-12-01 model): a form-encoded POST
 * (`Action=DescribeTargetGroups&Version=2015-12-01&TargetGroupArns.member.1=…`), answered in XML
 * (`<DescribeTargetGroupsResponse><DescribeTargetGroupsResult>…`), errors as `<ErrorResponse>`
 * with a `Code` (TargetGroupNotFound) that @aws-sdk/client-elastic-load-balancing-v2 maps onto its
 * exception classes.
 *
 * Which target groups exist: every one a service names (its loadBalancers' targetGroupArn and
 * advancedConfiguration.alternateTargetGroupArn), as if created with it — real ECS refuses a
 * CreateService whose target group does not exist — less those `deleteTargetGroup` removed (one
 * deleted outside the deploy; real ELB would refuse while a listener rule forwards to it).
 */
import { randomUUID } from 'node:crypto';
import type { TargetGroupHealthCheck } from './load-balancer.js';
import { elbDimensions } from './metrics.js';
import type { Store } from './state.js';
import { AwsError } from './wire.js';

export const ELBV2_VERSION = '2015-12-01';
const NAMESPACE = `http://elasticloadbalancing.amazonaws.com/doc/${ELBV2_VERSION}/`;

/** One awsQuery operation: the form's parameters in, the XML inside `<ActionResult>` out. */
export type QueryHandler = (params: URLSearchParams) => string;

interface KnownTargetGroup {
  arn: string;
  name: string;
  loadBalancerArn: string;
  port: number;
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `Name.member.1`, `Name.member.2`, … of an awsQuery list parameter. */
function queryList(params: URLSearchParams, name: string): string[] | undefined {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) values.push(params.get(`${name}.member.${i}`)!);
  return values.length > 0 ? values : undefined;
}

/** The whole answer to one awsQuery call. */
export function queryResponse(action: string, result: string): string {
  return `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
}

/** An error as awsQuery services send it; AccessDeniedException is ELB's `AccessDenied` (403). */
export function queryError(error: AwsError): { status: number; body: string } {
  const code = error.type === 'AccessDeniedException' ? 'AccessDenied' : error.type;
  const status = error.type === 'AccessDeniedException' ? 403 : error.status;
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    body: `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

export class ElasticLoadBalancingV2 {
  private readonly deleted = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly healthCheckOf: (targetGroupArn: string) => TargetGroupHealthCheck,
  ) {}

  handlers(): Record<string, QueryHandler> {
    return { DescribeTargetGroups: (p) => this.describeTargetGroups(p) };
  }

  /** Removes a target group, as if deleted outside the deploy (the services that name it keep the ARN). */
  deleteTargetGroup(arn: string): void {
    this.deleted.add(arn);
  }

  private known(): Map<string, KnownTargetGroup> {
    const found = new Map<string, KnownTargetGroup>();
    for (const service of this.store.services.values()) {
      const first = service.loadBalancers[0]?.targetGroupArn;
      for (const lb of service.loadBalancers) {
        for (const arn of [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn]) {
          if (!arn || this.deleted.has(arn) || found.has(arn)) continue;
          const [, , , region, account] = arn.split(':');
          const loadBalancerArn = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${elbDimensions(first ?? arn).LoadBalancer}`;
          found.set(arn, { arn, name: arn.split('/')[1] ?? arn, loadBalancerArn, port: lb.containerPort });
        }
      }
    }
    return found;
  }

  private describeTargetGroups(params: URLSearchParams): string {
    const arns = queryList(params, 'TargetGroupArns');
    const names = queryList(params, 'Names');
    const loadBalancerArn = params.get('LoadBalancerArn') ?? undefined;
    if ([arns, names, loadBalancerArn].filter((x) => x !== undefined).length > 1) {
      throw new AwsError('ValidationError', 'Only one of LoadBalancerArn, TargetGroupArns or Names can be specified.');
    }
    const known = [...this.known().values()];
    let chosen = known;
    if (arns || names) {
      const wanted = arns ?? names ?? [];
      chosen = wanted.map((w) => known.find((tg) => (arns ? tg.arn : tg.name) === w)).filter((tg): tg is KnownTargetGroup => tg !== undefined);
      if (chosen.length < wanted.length) throw new AwsError('TargetGroupNotFound', 'One or more target groups not found');
    } else if (loadBalancerArn) {
      chosen = known.filter((tg) => tg.loadBalancerArn === loadBalancerArn);
      if (chosen.length === 0) throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
    }
    return `<TargetGroups>${chosen.map((tg) => this.member(tg)).join('')}</TargetGroups>`;
  }

  private member(tg: KnownTargetGroup): string {
    const check = this.healthCheckOf(tg.arn);
    const seconds = (ms: number) => String(Math.max(1, Math.round(ms / 1000)));
    const fields: [string, string][] = [
      ['TargetGroupArn', tg.arn],
      ['TargetGroupName', tg.name],
      ['Protocol', 'HTTP'],
      ['Port', String(tg.port)],
      ['VpcId', 'vpc-0123456789abcdef0'],
      ['HealthCheckProtocol', 'HTTP'],
      ['HealthCheckPort', 'traffic-port'],
      ['HealthCheckEnabled', 'true'],
      ['HealthCheckIntervalSeconds', seconds(check.intervalMs)],
      ['HealthCheckTimeoutSeconds', seconds(check.timeoutMs)],
      ['HealthyThresholdCount', String(check.healthyThreshold)],
      ['UnhealthyThresholdCount', String(check.unhealthyThreshold)],
      ['HealthCheckPath', check.path],
    ];
    const simple = fields.map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
    return `<member>${simple}<Matcher><HttpCode>200</HttpCode></Matcher><LoadBalancerArns><member>${xmlEscape(tg.loadBalancerArn)}</member></LoadBalancerArns><TargetType>ip</TargetType><ProtocolVersion>HTTP1</ProtocolVersion><IpAddressType>ipv4</IpAddressType></member>`;
  }
}
