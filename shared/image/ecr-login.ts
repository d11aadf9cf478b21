import type { AuthorizationData } from '@aws-sdk/client-ecr';
import { ecrClient } from '../core/aws-clients.js';
import { errorMessage, UserError } from '../core/errors.js';
import type { RegistryCredentials } from '../docker/config.js';
import { registerSecret } from '../core/secrets.js';

/**
 * Registry credentials from ECR's GetAuthorizationToken (the token is base64 `AWS:<password>`,
 * valid for 12 hours). The SDK honours AWS_ENDPOINT_URL_ECR, which is how the local emulator is
 * used; the password is registered as a secret before anything can print it.
 */
export async function ecrCredentials(
  registry: string,
  options: { region: string; accountId?: string; signal?: AbortSignal },
): Promise<RegistryCredentials & { expiresAt?: Date }> {
  const client = await ecrClient({ region: options.region });
  const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  const where = `ECR GetAuthorizationToken in ${options.region}${options.accountId ? ` for account ${options.accountId}` : ''}`;
  let data: AuthorizationData | undefined;
  try {
    const response = await client.send(
      // registryIds is deprecated by AWS (the token works for every registry the caller may reach), so it is not sent.
      new GetAuthorizationTokenCommand({}),
      options.signal ? { abortSignal: options.signal } : {},
    );
    data = response.authorizationData?.[0];
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    // The SDK's own error type for "no credentials found", not its wording.
    const hint = name === 'CredentialsProviderError' ? '(configure AWS credentials first, e.g. with aws-actions/configure-aws-credentials)' : undefined;
    throw new UserError(`${where} failed: ${name && name !== 'Error' ? `${name}: ` : ''}${errorMessage(error)}`, { cause: error, ...(hint ? { hint } : {}) });
  }
  if (!data?.authorizationToken) throw new UserError(`${where} returned no authorization token.`);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new UserError(`${where} returned a token that is not base64 \`user:password\`.`);
  const password = decoded.slice(colon + 1);
  registerSecret(password);
  registerSecret(data.authorizationToken);
  return {
    registry,
    username: decoded.slice(0, colon),
    password,
    ...(data.expiresAt ? { expiresAt: data.expiresAt } : {}),
  };
}
