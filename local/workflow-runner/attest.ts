/**
 * actions/attest (v4), locally: there is no Sigstore, no OIDC token and no attestations API here,
 * so nothing is signed or uploaded. What the stand-in keeps is what a test of provenance needs:
 * the subject the workflow asked to attest (name and digest), checked as the action checks its
 * inputs (at most one of subject-path/-digest/-checksums; a digest `sha256:<64 hex>` with a
 * subject-name; push-to-registry only for one image named without tag or digest), and recorded in
 * the run's result (`attestations`), with the job that made it.
 */

/** One attestation the run asked for. */
export interface AttestationRecord {
  /** The id of the job that ran the step. */
  job: string;
  subjectName: string;
  subjectDigest: string;
  /** SLSA build provenance unless a predicate or SBOM was given. */
  predicateType: string;
  pushToRegistry: boolean;
}

const PROVENANCE = 'https://slsa.dev/provenance/v1';

/** The attestation an actions/attest step's inputs describe, or the error the action would fail with. */
export function attestationFor(inputs: Record<string, string>, job: string): AttestationRecord | { error: string } {
  const given = ['subject-path', 'subject-digest', 'subject-checksums'].filter((k) => (inputs[k] ?? '') !== '');
  if (given.length > 1)
    return { error: `actions/attest: only one of subject-path, subject-digest or subject-checksums may be given (got ${given.join(', ')})` };
  if (given[0] !== 'subject-digest')
    return {
      error: `actions/attest: the local stand-in attests an image by digest only (subject-digest with subject-name); got ${given[0] ?? 'no subject input'}`,
    };
  const digest = inputs['subject-digest']!;
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return { error: `actions/attest: subject-digest '${digest}' is not of the form sha256:<64 hex digits>` };
  const name = inputs['subject-name'] ?? '';
  if (!name) return { error: 'actions/attest: subject-name is required when the subject is given by subject-digest' };
  const push = inputs['push-to-registry'] === 'true';
  // The image name without a tag or digest: the digest says which image (actions/attest's README).
  if (push && (name.includes('@') || /:[^/]*$/.test(name)))
    return { error: `actions/attest: with push-to-registry, subject-name '${name}' must be the image name without a tag or digest` };
  const custom = inputs['predicate-type'] || (inputs['sbom-path'] ? 'sbom' : '');
  return { job, subjectName: name, subjectDigest: digest, predicateType: custom || PROVENANCE, pushToRegistry: push };
}
