/** One way an exchange departs from the published model: which operation, where, which rule. */
export interface Violation {
  /** e.g. "ECS CreateService", "GitHub GET /repos/{owner}/{repo}/pulls/{pull_number}". */
  operation: string;
  side: 'request' | 'response';
  /** Where in the exchange: a JSON path into the body ($.deployments[0].createdAt), or a header or parameter. */
  path: string;
  /** The model's rule that was broken: required, unknown member, type, enum, min, max, pattern, timestamp, undeclared error, … */
  rule: string;
  message: string;
}

export function formatViolation(v: Violation): string {
  return `${v.operation} ${v.side} ${v.path}: [${v.rule}] ${v.message}`;
}
