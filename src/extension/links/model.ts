import * as path from 'path';
import { isProtected, pipelinePath, readBridgeConfig, type BridgeConfigModel, type LinkModel } from '../../core/config/model';
import { activityRange, startStateRange } from '../../core/config/locate';
import { readConfigOutline, type ConfigOutline } from '../../core/config/outline';
import type { BridgeDiagnostic } from '../../core/diagnostics';
import type { Range } from '../../core/text';
import type { EndState, EndStatus } from '../../core/status/model';
import { Signal } from '../signal';

/**
 * What the Links view shows, as plain data: the workspace's bridge configs, their links, each
 * link's ends and payloads. No VS Code here (the tree provider draws it; unit tests drive it).
 *
 * Reading is asynchronous and happens here, never in `children()`: the provider asks for children
 * and gets what is known now (a placeholder while a config is read), and `onDidChange` says when
 * to ask again.
 */

/** A place to open: a file, and where in it (the file's top when absent). */
export interface FileLocation {
  file: string;
  range?: Range;
}

export type EndKind = 'adf' | 'gateway' | 'sfn' | 's3';

export type LinksNode =
  | { kind: 'placeholder'; id: string; label: string }
  | { kind: 'error'; id: string; label: string; detail: string; location?: FileLocation }
  | { kind: 'config'; id: string; path: string; state: 'loading' | 'loaded' | 'error'; linkCount: number }
  | { kind: 'link'; id: string; config: BridgeConfigModel; link: LinkModel; protected: boolean; location: FileLocation; reading?: boolean }
  | { kind: 'end'; id: string; config: BridgeConfigModel; link: LinkModel; end: EndKind; label: string; description: string; location: FileLocation; problemFiles: string[]; problemRange?: Range }
  | { kind: 'payload'; id: string; config: BridgeConfigModel; link: LinkModel; file?: string; label: string; location?: FileLocation };

/** What the tree shows of an end's deployed status: the state, the one-line summary, the full status (for Show Drift). */
export interface DeployedEndStatus {
  config: string;
  link: string;
  /** A state machine is the `sfn` end, a pipeline the `adf` end. */
  kind: 'adf' | 'sfn';
  state: EndState;
  summary: string;
  message?: string;
  checkedAt: string;
  end: EndStatus;
}

export type LinkNode = Extract<LinksNode, { kind: 'link' }>;

type ConfigEntry =
  | { state: 'loading'; path: string; model?: BridgeConfigModel }
  | { state: 'loaded'; path: string; model: BridgeConfigModel }
  | { state: 'error'; path: string; message: string };

export interface LinksModelOptions {
  /** The file's text as the user sees it (an open buffer, else the disk); undefined when unreadable. */
  read(file: string): Promise<string | undefined>;
  /** The validation problems shown on a file now. */
  problems(file: string): readonly BridgeDiagnostic[];
}

export interface ProblemCount {
  errors: number;
  warnings: number;
  infos: number;
}

export class LinksModel {
  /** Fired after anything shown changed; listeners batch their redraws. */
  readonly onDidChange = new Signal<void>();
  private scanned = false;
  private readonly configs = new Map<string, ConfigEntry>();
  /** Per config, the read in flight: a newer read makes an older one's result stale. */
  private readonly generation = new Map<string, number>();
  /** Where each link's ADF pipeline activity and first state are, read on first expansion. */
  private readonly endLocations = new Map<string, Promise<void> | Partial<Record<EndKind, FileLocation>>>();
  private loadedWaiters: (() => void)[] = [];
  private listedWaiters: (() => void)[] = [];
  /** Models made from a config's outline (link names and places only) while its full model is read. */
  private readonly outlines = new WeakSet<BridgeConfigModel>();
  /** Deployed status of each checked end, by `config#link#end` (filled by "Check Deployed Status" or Refresh). */
  private readonly deployed = new Map<string, DeployedEndStatus>();

  constructor(private readonly options: LinksModelOptions) {}

  /** 'loading' until the workspace scan has answered (the welcome view waits for it). */
  get state(): 'loading' | 'empty' | 'ready' {
    if (!this.scanned) return 'loading';
    return this.configs.size === 0 ? 'empty' : 'ready';
  }

  /** The workspace scan's answer: every config of the workspace (replaces what was known). */
  setConfigs(paths: readonly string[]): void {
    const wanted = new Set(paths);
    for (const known of [...this.configs.keys()]) if (!wanted.has(known)) this.forget(known);
    this.scanned = true;
    for (const p of wanted) if (!this.configs.has(p)) this.load(p);
    this.changed();
  }

  /** A config was created, saved or edited: read it again. */
  reload(configPath: string): void {
    this.load(configPath);
    this.changed();
  }

  /** A config was deleted (or left the workspace). */
  remove(configPath: string): void {
    if (this.forget(configPath)) this.changed();
  }

  /** Read every config afresh (Refresh). */
  refresh(): void {
    this.endLocations.clear();
    for (const p of this.configs.keys()) this.load(p);
    this.changed();
  }

  /** Resolves once the scan has answered and every known config has been read. */
  whenLoaded(): Promise<void> {
    if (this.isLoaded()) return Promise.resolve();
    return new Promise((resolve) => this.loadedWaiters.push(resolve));
  }

  /**
   * Resolves once the scan has answered and every known config is listed with its links (the
   * view's first level), possibly before the full models are read.
   */
  whenListed(): Promise<void> {
    if (this.isListed()) return Promise.resolve();
    return new Promise((resolve) => this.listedWaiters.push(resolve));
  }

  /** Whether the first level is known: every config with its links (from an outline or a model), or its error. */
  isListed(): boolean {
    return this.scanned && [...this.configs.values()].every((e) => e.state !== 'loading' || !!e.model);
  }

  /** Every link of every config read so far, configs in path order. */
  links(): { config: BridgeConfigModel; link: LinkModel }[] {
    const out: { config: BridgeConfigModel; link: LinkModel }[] = [];
    for (const entry of this.sortedEntries()) {
      if (entry.state === 'error' || !entry.model || this.outlines.has(entry.model)) continue;
      for (const link of entry.model.links) out.push({ config: entry.model, link });
    }
    return out;
  }

  config(configPath: string): BridgeConfigModel | undefined {
    const entry = this.configs.get(configPath);
    return entry && entry.state !== 'error' && entry.model && !this.outlines.has(entry.model) ? entry.model : undefined;
  }

  /** Stores checked ends (made from a status report by the lazy discover bundle) and redraws once. */
  setDeployedStatus(ends: readonly DeployedEndStatus[]): void {
    for (const e of ends) this.deployed.set(`${e.config}#${e.link}#${e.kind}`, e);
    this.changed();
  }

  /** The deployed status of one end; undefined when not checked yet (or the end is not checkable: gateway, S3). */
  deployedStatus(configPath: string, linkName: string, end: EndKind): DeployedEndStatus | undefined {
    return this.deployed.get(`${configPath}#${linkName}#${end}`);
  }

  // ---- the tree -------------------------------------------------------------------------------

  roots(): LinksNode[] {
    if (!this.scanned) return [{ kind: 'placeholder', id: 'placeholder:scan', label: 'Looking for bridge configs…' }];
    return this.sortedEntries().map((entry) => this.configNode(entry));
  }

  children(node: LinksNode): LinksNode[] {
    switch (node.kind) {
      case 'config':
        return this.configChildren(node.path);
      case 'link':
        // Read from the outline: the ends and payloads come with the full model, in a moment.
        if (this.outlines.has(node.config)) return [{ kind: 'placeholder', id: `placeholder:${node.id}`, label: 'Reading…' }];
        return [...this.ends(node.config, node.link), ...this.payloads(node.config, node.link)];
      default:
        return [];
    }
  }

  /** The link node of a link, as the tree shows it (for reveal and for the lenses). */
  linkNode(config: BridgeConfigModel, link: LinkModel): LinkNode {
    return {
      kind: 'link',
      id: `link:${config.path}#${link.name}`,
      config,
      link,
      protected: isProtected(config, link),
      location: { file: config.path, range: link.locations?.key },
      ...(this.outlines.has(config) ? { reading: true } : {}),
    };
  }

  /** Problems of a link: those inside its entry in the config, and those in the files it alone reads. */
  problemsOf(config: BridgeConfigModel, link: LinkModel): ProblemCount {
    const count: ProblemCount = { errors: 0, warnings: 0, infos: 0 };
    const add = (d: BridgeDiagnostic) => {
      if (d.severity === 'error') count.errors++;
      else if (d.severity === 'warning') count.warnings++;
      else count.infos++;
    };
    const entry = link.locations?.entry;
    if (entry) for (const d of this.options.problems(config.path)) if (within(d.range, entry)) add(d);
    for (const file of linkFiles(config, link)) for (const d of this.options.problems(file)) add(d);
    return count;
  }

  /** Problems of one end: in its block of the config, or in the file that defines it. */
  endProblems(node: Extract<LinksNode, { kind: 'end' }>): ProblemCount {
    const count: ProblemCount = { errors: 0, warnings: 0, infos: 0 };
    const list = [
      ...(node.problemRange ? this.options.problems(node.config.path).filter((d) => within(d.range, node.problemRange!)) : []),
      ...node.problemFiles.flatMap((f) => this.options.problems(f)),
    ];
    for (const d of list) {
      if (d.severity === 'error') count.errors++;
      else if (d.severity === 'warning') count.warnings++;
      else count.infos++;
    }
    return count;
  }

  // ---- internals ------------------------------------------------------------------------------

  private configNode(entry: ConfigEntry): LinksNode {
    return {
      kind: 'config',
      id: `config:${entry.path}`,
      path: entry.path,
      state: entry.state,
      linkCount: entry.state === 'error' || !entry.model ? 0 : entry.model.links.length,
    };
  }

  private configChildren(configPath: string): LinksNode[] {
    const entry = this.configs.get(configPath);
    if (!entry) return [];
    if (entry.state === 'error') {
      return [{ kind: 'error', id: `error:${configPath}`, label: 'Could not read this config', detail: entry.message, location: { file: configPath } }];
    }
    if (!entry.model) return [{ kind: 'placeholder', id: `placeholder:${configPath}`, label: 'Reading…' }];
    if (entry.model.links.length === 0) {
      return [{ kind: 'placeholder', id: `placeholder:${configPath}`, label: 'No links yet: add one under "links"' }];
    }
    return entry.model.links.map((link) => this.linkNode(entry.model!, link));
  }

  private ends(config: BridgeConfigModel, link: LinkModel): LinksNode[] {
    const key = `${config.path}#${link.name}`;
    const resolved = this.endLocations.get(key);
    if (!resolved) this.endLocations.set(key, this.resolveEnds(config, link, key));
    const found = resolved && !(resolved instanceof Promise) ? resolved : {};
    const at = (range: Range | undefined): FileLocation => ({ file: config.path, range: range ?? link.locations?.key });
    const l = link.locations;
    const id = (end: EndKind) => `end:${key}#${end}`;
    const out: LinksNode[] = [];
    const adf = (): LinksNode | undefined =>
      link.adf || link.trigger !== 's3-to-sfn'
        ? {
            kind: 'end',
            id: id('adf'),
            config,
            link,
            end: 'adf',
            label: `ADF pipeline ${link.adf?.pipeline ?? '(not set)'}`,
            description: [link.adf?.activity && `activity ${link.adf.activity}`, config.azure?.factory && `in ${config.azure.factory}`].filter(Boolean).join(' '),
            location: found.adf ?? at(l?.adf),
            problemFiles: [pipelinePath(config, link)].filter((f): f is string => !!f),
            problemRange: l?.adf,
          }
        : undefined;
    const gateway = (): LinksNode | undefined =>
      link.gateway || link.trigger === 'adf-to-sfn'
        ? {
            kind: 'end',
            id: id('gateway'),
            config,
            link,
            end: 'gateway',
            label: `Gateway ${routeOf(link.gateway?.url) ?? '(no url)'}`,
            description: link.gateway?.throttle ? `${link.gateway.throttle.rateLimit}/s, burst ${link.gateway.throttle.burstLimit}` : 'no throttle',
            location: at(l?.gateway),
            problemFiles: [],
            problemRange: l?.gateway,
          }
        : undefined;
    const sfn = (): LinksNode => ({
      kind: 'end',
      id: id('sfn'),
      config,
      link,
      end: 'sfn',
      label: `State machine ${link.stateMachine?.name ?? '(no arn)'}`,
      description: link.stateMachine?.definition ? path.basename(link.stateMachine.definition) : 'no definition',
      location: found.sfn ?? at(l?.stateMachine),
      problemFiles: [link.stateMachine?.definition, link.mocks].filter((f): f is string => !!f),
      problemRange: l?.stateMachine,
    });
    const s3 = (): LinksNode => ({
      kind: 'end',
      id: id('s3'),
      config,
      link,
      end: 's3',
      label: `S3 ${link.s3?.bucket ?? '(no bucket)'}`,
      description: `${link.s3?.prefix ?? ''}*${link.s3?.suffix ?? ''}`,
      location: at(l?.s3),
      problemFiles: [],
      problemRange: l?.s3,
    });
    // In the order the run flows.
    const order = link.trigger === 'sfn-to-adf' ? [sfn, adf] : link.trigger === 's3-to-sfn' ? [s3, sfn] : [adf, gateway, sfn];
    for (const make of order) {
      const node = make();
      if (node) out.push(node);
    }
    return out;
  }

  private payloads(config: BridgeConfigModel, link: LinkModel): LinksNode[] {
    const key = `${config.path}#${link.name}`;
    if (link.payloads.length === 0) {
      return [{ kind: 'payload', id: `payload:${key}#dummy`, config, link, label: 'Generated dummy payload' }];
    }
    return link.payloads.map((file, i) => ({
      kind: 'payload' as const,
      id: `payload:${key}#${i}`,
      config,
      link,
      file,
      label: path.basename(file),
      location: { file },
    }));
  }

  private async resolveEnds(config: BridgeConfigModel, link: LinkModel, key: string): Promise<void> {
    const found: Partial<Record<EndKind, FileLocation>> = {};
    try {
      const pipeline = pipelinePath(config, link);
      if (pipeline) {
        const text = await this.options.read(pipeline);
        if (text !== undefined) found.adf = { file: pipeline, range: activityRange(pipeline, text, link.adf?.activity) };
      }
      const asl = link.stateMachine?.definition;
      if (asl) {
        const text = await this.options.read(asl);
        if (text !== undefined) found.sfn = { file: asl, range: startStateRange(asl, text) };
      }
    } catch {
      // Unreadable files: the ends keep pointing into the config, where the problem is reported.
    }
    if (this.endLocations.get(key) instanceof Promise) {
      this.endLocations.set(key, found);
      this.changed();
    }
  }

  private load(configPath: string): void {
    const generation = (this.generation.get(configPath) ?? 0) + 1;
    this.generation.set(configPath, generation);
    const previous = this.configs.get(configPath);
    // Keep showing what was there while the new text is read: no flicker on every keystroke.
    const shown = previous && previous.state !== 'error' ? previous.model : undefined;
    this.configs.set(configPath, { state: 'loading', path: configPath, model: shown });
    for (const k of [...this.endLocations.keys()]) if (k.startsWith(`${configPath}#`)) this.endLocations.delete(k);
    const current = () => this.generation.get(configPath) === generation && this.configs.has(configPath);
    const settle = (entry: ConfigEntry) => {
      if (!current()) return;
      this.configs.set(configPath, entry);
      this.changed();
    };
    const readModel = (text: string) => settle({ state: 'loaded', path: configPath, model: readBridgeConfig(configPath, text) });
    void this.options.read(configPath).then(
      (text) => {
        if (!current()) return;
        if (text === undefined) return settle({ state: 'error', path: configPath, message: `${configPath} could not be read. Check that it exists and is readable.` });
        if (shown) return readModel(text);
        // PERFORMANCE: the view's first level first. The outline (link names and places) costs a
        // fraction of the model; every config's outline is listed before any full model is read
        // (a macrotask later), and the tree draws both, batched.
        let outline: BridgeConfigModel;
        try {
          outline = outlineModel(readConfigOutline(configPath, text), this.outlines);
        } catch {
          return readModel(text); // the full model alone, then (it never throws)
        }
        this.configs.set(configPath, { state: 'loading', path: configPath, model: outline });
        this.changed();
        setTimeout(() => readModel(text), 0);
      },
      (e: unknown) => settle({ state: 'error', path: configPath, message: e instanceof Error ? e.message : String(e) }),
    );
  }

  private forget(configPath: string): boolean {
    this.generation.set(configPath, (this.generation.get(configPath) ?? 0) + 1);
    for (const k of [...this.endLocations.keys()]) if (k.startsWith(`${configPath}#`)) this.endLocations.delete(k);
    return this.configs.delete(configPath);
  }

  private sortedEntries(): ConfigEntry[] {
    // PERFORMANCE: not localeCompare: its first call sets up ICU's collator, ~25 ms of CPU on the
    // way to the view's first level. Paths in code-unit order, as `bridge lint` lists them.
    return [...this.configs.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private isLoaded(): boolean {
    return this.scanned && [...this.configs.values()].every((e) => e.state !== 'loading');
  }

  private changed(): void {
    if (this.listedWaiters.length && this.isListed()) {
      const waiters = this.listedWaiters;
      this.listedWaiters = [];
      for (const w of waiters) w();
    }
    this.onDidChange.fire();
    if (this.loadedWaiters.length && this.isLoaded()) {
      const waiters = this.loadedWaiters;
      this.loadedWaiters = [];
      for (const w of waiters) w();
    }
  }
}

/** A stand-in model from an outline: the links' names and places, nothing else (recorded in `outlines`). */
function outlineModel(outline: ConfigOutline, outlines: WeakSet<BridgeConfigModel>): BridgeConfigModel {
  const model: BridgeConfigModel = {
    path: outline.path,
    environments: {},
    links: outline.links.map((l) => ({ name: l.name, payloads: [], locations: { key: l.key, entry: l.entry, payloads: [] } })),
  };
  outlines.add(model);
  return model;
}

/** Files only this link reads (its definition, mocks, payloads and pipeline): their problems are the link's. */
export function linkFiles(config: BridgeConfigModel, link: LinkModel): string[] {
  return [link.stateMachine?.definition, link.mocks, pipelinePath(config, link), ...link.payloads].filter((f): f is string => !!f);
}

/** `POST /prod/retrain` style: the gateway URL's path, or undefined when it is not a URL. */
function routeOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function within(inner: Range, outer: Range): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}
