import { QuickSightClient, type QuickSightClientConfig } from '@aws-sdk/client-quicksight';

/** How a command reaches QuickSight: a region, and a profile or an endpoint (tests) when given. */
export interface QuickSightClientOptions {
  readonly region: string;
  /** A named profile of the shared AWS config; the SDK's default chain otherwise. */
  readonly profile?: string;
  /** Client settings that replace the defaults: an endpoint, credentials, retries. */
  readonly overrides?: QuickSightClientConfig;
}

/** @example quickSightClientOf({ region: 'us-east-1', profile: 'prod' }) */
export function quickSightClientOf(options: QuickSightClientOptions): QuickSightClient {
  return new QuickSightClient({
    region: options.region,
    ...(options.profile !== undefined && { profile: options.profile }),
    ...options.overrides,
  });
}

/** The AWS error name and message of a failed call, for one line of output. */
export function errorOf(error: unknown): { readonly name: string; readonly message: string } {
  const { name, message } = error as { name?: unknown; message?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: (typeof message === 'string' && message !== '' ? message : String(error)).replace(/\.$/, ''),
  };
}
