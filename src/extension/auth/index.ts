/**
 * Signing in from the editor, the way each cloud's users already do:
 *  - Azure: VS Code's built-in Microsoft account (the account menu), through
 *    `vscode.authentication.getSession('microsoft', [<ARM>/.default, 'VSCODE_TENANT:<tenant>'])`;
 *    sovereign clouds through the built-in `microsoft-sovereign-cloud` provider. No extra
 *    extension, no device code.
 *  - AWS: the config's `aws.profile` (or the `bridge.aws.profile` setting, or the SDK's default
 *    chain), an MFA code asked in an input box, an expired SSO session answered with a button that
 *    runs `aws sso login --profile X` in a terminal.
 * In a restricted (untrusted) workspace nothing here reads a credential or calls a cloud.
 */
import * as vscode from 'vscode';
import type { TokenCredential } from '@azure/core-auth';
import { armScope, AZURE_CLOUD_ENDPOINTS } from '../../core/clouds';
import type { BridgeConfigModel } from '../../core/config/model';
import type { AzureCloud } from '../../core/config/shape';

/** The lazily loaded cloud layer (dist/cloud.js): SDKs load on the first cloud call only. */
export type CloudModule = typeof import('../../cloud/index');
let cloudModule: Promise<CloudModule> | undefined;
export function loadCloud(): Promise<CloudModule> {
  return (cloudModule ??= import('../../cloud/index'));
}

/** Thrown (and shown) when the workspace is not trusted: nothing is read, nothing is called. */
export class UntrustedWorkspaceError extends Error {
  constructor(what: string) {
    super(`This workspace is in restricted mode: trust it to ${what}. No credential was read and no cloud was called.`);
    this.name = 'UntrustedWorkspaceError';
  }
}

export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted) throw new UntrustedWorkspaceError(what);
}

/** A sign-in problem in the user's terms (the same shape the cloud layer gives). */
export class EditorSignInError extends Error {
  constructor(
    readonly kind: 'no-credentials' | 'expired-session' | 'wrong-tenant',
    readonly line: string,
    readonly detail = '',
  ) {
    super(line);
    this.name = 'CloudIdentityError';
  }
}

export interface MicrosoftCredentialOptions {
  /** Ask the user to sign in when there is no session (true: from a command the user ran). Default false: silent. */
  interactive?: boolean;
}

/** The VS Code authentication provider and scopes for a cloud and tenant. */
export function microsoftSessionRequest(cloud: AzureCloud, tenantId: string | undefined): { providerId: string; scopes: string[] } {
  const scopes = [armScope(cloud)];
  if (tenantId) scopes.push(`VSCODE_TENANT:${tenantId}`);
  return { providerId: AZURE_CLOUD_ENDPOINTS[cloud].vscode.providerId, scopes };
}

/**
 * A TokenCredential on VS Code's Microsoft sign-in: the SDK clients take it like any other. VS Code
 * keeps and refreshes the session; each getToken asks it again (cheap), so a sign-out is seen.
 */
export function vscodeMicrosoftCredential(cloud: AzureCloud, tenantId: string | undefined, options: MicrosoftCredentialOptions = {}): TokenCredential {
  return {
    async getToken() {
      const sovereign = AZURE_CLOUD_ENDPOINTS[cloud].vscode.sovereignEnvironment;
      if (sovereign) {
        const current = vscode.workspace.getConfiguration('microsoft-sovereign-cloud').get<string>('environment');
        if (current !== sovereign) {
          throw new EditorSignInError(
            'no-credentials',
            `Signing in to ${cloud} needs the setting "microsoft-sovereign-cloud.environment" set to "${sovereign}" (it is ${current ? `"${current}"` : 'not set'}): set it, then sign in from the account menu.`,
          );
        }
      }
      const { providerId, scopes } = microsoftSessionRequest(cloud, tenantId);
      const session = await vscode.authentication.getSession(providerId, scopes, options.interactive ? { createIfNone: true } : { silent: true });
      if (!session) {
        throw new EditorSignInError('no-credentials', `Not signed in to Azure${tenantId ? ` for tenant ${tenantId}` : ''}: sign in with "Bridge: Sign In to Azure" or the account menu.`);
      }
      // VS Code does not say when the token expires; it refreshes it, so ask again within minutes.
      return { token: session.accessToken, expiresOnTimestamp: Date.now() + 5 * 60_000 };
    },
  };
}

/** The MFA code of a role chain, asked in an input box. */
export async function askMfaCode(serial: string): Promise<string> {
  const code = await vscode.window.showInputBox({
    title: 'AWS MFA code',
    prompt: `The code of MFA device ${serial}`,
    placeHolder: '123456',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d{6}$/.test(v.trim()) ? undefined : 'Six digits from the MFA device.'),
  });
  if (code === undefined) throw new EditorSignInError('no-credentials', `No MFA code was entered for ${serial}: run again and enter the code.`);
  return code.trim();
}

/** The AWS profile a config signs in with: its aws.profile, else the user's chosen one, else the default chain. */
export function awsProfileFor(config: BridgeConfigModel): string | undefined {
  return config.aws?.profile ?? (vscode.workspace.getConfiguration('bridge.aws').get<string>('profile') || undefined);
}

/** What the cloud layer needs to sign in for one config from the editor. */
export function editorSignIn(config: BridgeConfigModel) {
  const azure = config.azure;
  return {
    awsProfile: awsProfileFor(config),
    mfaCode: askMfaCode,
    azureCredential: vscodeMicrosoftCredential(azure?.cloud ?? 'AzureCloud', azure?.tenantId),
  };
}

/** Both SDK clients for a config, signed in the editor's way. Throws UntrustedWorkspaceError in restricted mode. */
export async function editorClientsFor(config: BridgeConfigModel) {
  requireTrust('call the clouds');
  const cloud = await loadCloud();
  const signIn = editorSignIn(config);
  const profiled: BridgeConfigModel = config.aws ? { ...config, aws: { ...config.aws, profile: signIn.awsProfile } } : config;
  return cloud.createClientsForConfig(profiled, { mfaCode: signIn.mfaCode, azureCredential: signIn.azureCredential });
}

export interface CloudErrorShown {
  kind: string;
  line: string;
  detail?: string;
}

/**
 * Shows a cloud error as one line with the button that fixes it: "Run aws sso login" (a terminal),
 * "Sign In to Azure", or "Show Log" (where the detail went).
 */
export async function showCloudError(error: CloudErrorShown, context: { profile?: string; cloud?: AzureCloud; tenantId?: string }, log: (detail: string) => void, showLog: () => void): Promise<void> {
  if (error.detail) log(error.detail);
  const ssoLogin = error.kind === 'expired-session' && context.profile ? `Run aws sso login` : undefined;
  const azureSignIn = /Azure/.test(error.line) && error.kind !== 'access-denied' ? 'Sign In to Azure' : undefined;
  const choice = await vscode.window.showErrorMessage(error.line, ...[ssoLogin, azureSignIn, 'Show Log'].filter((x): x is string => !!x));
  if (choice === ssoLogin && context.profile) runSsoLogin(context.profile);
  else if (choice === azureSignIn) await signInToAzure(context.cloud ?? 'AzureCloud', context.tenantId);
  else if (choice === 'Show Log') showLog();
}

/** Opens a terminal running `aws sso login --profile X` (the user sees the browser prompt there). */
export function runSsoLogin(profile: string): void {
  if (!/^[\w.+=@-]+$/.test(profile)) return;
  const terminal = vscode.window.createTerminal({ name: `aws sso login (${profile})` });
  terminal.show();
  terminal.sendText(`aws sso login --profile ${profile}`);
}

/** Signs in to Azure with VS Code's account (asks the user when there is no session). */
export async function signInToAzure(cloud: AzureCloud, tenantId: string | undefined): Promise<boolean> {
  requireTrust('sign in to Azure');
  try {
    await vscodeMicrosoftCredential(cloud, tenantId, { interactive: true }).getToken(armScope(cloud));
    return true;
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return false;
  }
}

/** "Bridge: Choose AWS Profile": profiles from the shared files (the SDK's loader), saved in the workspace settings. */
export async function chooseAwsProfile(): Promise<string | undefined> {
  requireTrust('read the AWS profiles');
  const cloud = await loadCloud();
  const profiles = await cloud.listAwsProfiles(process.env);
  if (!profiles.length) {
    void vscode.window.showWarningMessage('No AWS profiles in ~/.aws/config or ~/.aws/credentials: run `aws configure sso` in a terminal first.');
    return undefined;
  }
  const kinds: Record<string, string> = { sso: 'SSO', role: 'assumes a role', process: 'credential process', 'web-identity': 'web identity', keys: 'access keys', empty: 'no credentials' };
  const picked = await vscode.window.showQuickPick(
    profiles.map((p) => ({ label: p.name, description: `${kinds[p.kind]}${p.region ? ` · ${p.region}` : ''}`, detail: p.roleArn })),
    { title: 'AWS profile for configs without "aws.profile"', placeHolder: 'A profile of your shared AWS config' },
  );
  if (!picked) return undefined;
  await vscode.workspace.getConfiguration('bridge.aws').update('profile', picked.label, vscode.ConfigurationTarget.Workspace);
  return picked.label;
}
