/** Signing in to both clouds, and errors in the user's terms. */
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { TokenCredential } from '@azure/core-auth';
import { armScope } from '../../core/clouds';
import type { BridgeConfigModel } from '../../core/config/model';
import { awsCredentialProvider, type Env } from './aws';
import { azureCredential } from './azure';
import { CloudIdentityError, describeCloudError, type CloudErrorContext } from './errors';

export * from './aws';
export * from './azure';
export * from './errors';

export interface SignInOptions {
  env?: Env;
  /** Asked for an MFA code when a role chain needs one (terminal prompt, editor input box). */
  mfaCode?: (serial: string) => Promise<string>;
  /** Credentials from elsewhere (the editor, tests): the chains are not consulted. */
  awsCredentials?: AwsCredentialIdentityProvider;
  azureCredential?: TokenCredential;
  /** Only these links' ends matter (default: every link). */
  links?: string[];
}

/**
 * Signs in once for every profile and tenant the configs need, before any call, so a sign-in
 * problem stops a command with one line naming the profile (or tenant) and what to run. AWS is
 * asked first: every link has a state machine, and a profile error is the one users meet most.
 * Returns the first problem, or undefined when both clouds gave credentials.
 */
export async function checkCloudSignIn(configs: BridgeConfigModel[], options: SignInOptions = {}): Promise<CloudIdentityError | undefined> {
  const wanted = (config: BridgeConfigModel) => config.links.filter((l) => !options.links || options.links.includes(l.name));
  const profiles = new Map<string | undefined, string | undefined>();
  const tenants = new Map<string, { tenantId?: string; cloud: NonNullable<BridgeConfigModel['azure']>['cloud'] }>();
  for (const config of configs) {
    const links = wanted(config);
    if (links.some((l) => l.stateMachine?.arn) && !profiles.has(config.aws?.profile)) profiles.set(config.aws?.profile, config.aws?.region);
    if (config.azure && links.some((l) => l.adf?.pipeline)) tenants.set(`${config.azure.cloud} ${config.azure.tenantId ?? ''}`, { tenantId: config.azure.tenantId, cloud: config.azure.cloud });
  }
  for (const [profile, region] of profiles) {
    try {
      await awsCredentialProvider({ profile, region, env: options.env, mfaCode: options.mfaCode, injected: options.awsCredentials })();
    } catch (e) {
      return asIdentityError(e, { cloud: 'aws', profile });
    }
  }
  for (const { tenantId, cloud } of tenants.values()) {
    try {
      await azureCredential({ tenantId, cloud, env: options.env, injected: options.azureCredential }).getToken(armScope(cloud));
    } catch (e) {
      return asIdentityError(e, { cloud: 'azure', tenantId });
    }
  }
  return undefined;
}

function asIdentityError(e: unknown, context: CloudErrorContext): CloudIdentityError {
  if (e instanceof CloudIdentityError) return e;
  const d = describeCloudError(e, context);
  return new CloudIdentityError(d.kind, d.line, d.detail);
}

/** What error lines should name for a config's calls. */
export function errorContextOf(config: BridgeConfigModel): CloudErrorContext {
  return {
    profile: config.aws?.profile,
    tenantId: config.azure?.tenantId,
    subscriptionId: config.azure?.subscriptionId,
    resourceGroup: config.azure?.resourceGroup,
    factory: config.azure?.factory,
  };
}
