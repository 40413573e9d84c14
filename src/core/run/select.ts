/**
 * Which links a run command runs: every link of the configs found, or those named (`--link`,
 * repeatable), one run after another in the order of the configs and their links.
 */
import type { BridgeConfigModel, LinkModel } from '../config/model';

export interface RunTarget {
  config: BridgeConfigModel;
  link: LinkModel;
}

export interface LinkSelection {
  targets: RunTarget[];
  /** Names asked for that no config has (each is a mistake the user must hear about). */
  unknown: string[];
}

export function selectLinks(configs: BridgeConfigModel[], names: readonly string[] = []): LinkSelection {
  const all = configs.flatMap((config) => config.links.map((link) => ({ config, link })));
  if (!names.length) return { targets: all, unknown: [] };
  const wanted = new Set(names);
  const targets = all.filter((t) => wanted.has(t.link.name));
  const found = new Set(targets.map((t) => t.link.name));
  return { targets, unknown: [...wanted].filter((n) => !found.has(n)) };
}
