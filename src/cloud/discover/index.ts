/**
 * Discovery's listing: one page at a time of a factory's pipelines and a region's state machines,
 * through the same SDK clients as everything else (cloud or sandbox). Which of them no link names
 * is decided by src/core/discover.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DataFactoryManagementClient } from '@azure/arm-datafactory';

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; undefined on the last page. */
  next?: string;
}

export interface ListedStateMachine {
  arn: string;
  name: string;
  type?: string;
}

/** One page of a region's state machines (ListStateMachines, up to `pageSize`). */
export async function listStateMachinesPage(sfn: SFNClient, next?: string, options: { pageSize?: number; signal?: AbortSignal } = {}): Promise<Page<ListedStateMachine>> {
  const { ListStateMachinesCommand } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const out = await sfn.send(new ListStateMachinesCommand({ maxResults: options.pageSize ?? 100, nextToken: next }), { abortSignal: options.signal });
  return {
    items: (out.stateMachines ?? []).map((m) => ({ arn: m.stateMachineArn ?? '', name: m.name ?? '', type: m.type })).filter((m) => m.arn),
    next: out.nextToken,
  };
}

/** One page of a factory's pipelines (as ARM pages them; `next` is its continuation link). */
export async function listPipelinesPage(adf: DataFactoryManagementClient, resourceGroup: string, factory: string, next?: string, options: { signal?: AbortSignal } = {}): Promise<Page<string>> {
  const pages = adf.pipelines.listByFactory(resourceGroup, factory, { abortSignal: options.signal }).byPage({ continuationToken: next });
  const first = await pages.next();
  if (first.done) return { items: [] };
  const page = first.value as { name?: string }[] & { continuationToken?: string };
  return { items: page.map((p) => p.name ?? '').filter(Boolean), next: page.continuationToken };
}
