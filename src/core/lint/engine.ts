import path = require('node:path');
import type { BridgeDiagnostic } from '../diagnostics';
export { LintCache } from './cache';
export { findBridgeConfigs, isBridgeConfigPath } from './find';
import { MAX_READ_BYTES, megabytes, type FileHost } from '../host';
import { keyNode, parseJson, type ParsedJson } from '../json/jsonc';
import { SourceText, withoutByteOrderMark } from '../text';
import { DiagnosticSink } from '../rules/report';
import { checkConfig, stringAt, type ConfigFacts, type LinkFacts, type Located } from '../config/rules';
import { longLivedKeysOfProfile, type Env } from '../config/credentials';
import { closest } from '../config/suggest';
import { adfRepoFolder, findPipelineFile, pipelineFilePath, pipelineFiles, readGlobalParameters, readPipeline, repoJsonFiles, type PipelineFacts, type RepoReadHost } from '../adf/repo';
import { CaseInsensitiveSet } from '../adf/names';
import { checkLinkAgainstPipeline, checkPipelineExpressions } from '../adf/rules';
import { checkPayload } from '../payload/rules';
import { loadAslValidation } from './asl-loader';
import { LintCache } from './cache';
import type { AslDefinitionFacts } from '../asl/model';
import { validateMockConfig } from '../mocks/validate';
import { stateMachineName as stateMachineNameOf } from '../config/arn';
import { memoize } from '../memo';

export interface LintResult {
  /** Every file looked at (configs and referenced files), absolute paths, sorted. */
  files: string[];
  /** Diagnostics by absolute file path. */
  diagnostics: Map<string, BridgeDiagnostic[]>;
  /**
   * For each config, the absolute paths it references (pipelines, ASL, payloads, mocks, factory
   * files, the repoRoot and its pipeline/ and factory/ folders), existing or not, so an editor can
   * revalidate when any of them appears, changes or goes.
   */
  dependencies: Map<string, Set<string>>;
}

export interface LintOptions {
  /** Environment for the static-credentials rule (AWS_SHARED_CREDENTIALS_FILE, HOME …). Default: none read. */
  env?: Env;
  /** Keeps file-level results between runs (the editor passes one; the CLI runs once and needs none). */
  cache?: LintCache;
}

/** Lints bridge configs and everything they point at. Never throws on bad input. */
export async function lintConfigs(configPaths: string[], host: FileHost, options: LintOptions = {}): Promise<LintResult> {
  const run = new LintRun(host, options);
  const dependencies = new Map<string, Set<string>>();
  for (const configPath of configPaths) {
    const abs = path.resolve(configPath);
    const deps = new Set<string>();
    dependencies.set(abs, deps);
    await run.lintConfig(abs, deps);
  }
  const files = run.sink.files().sort();
  const diagnostics = new Map<string, BridgeDiagnostic[]>();
  for (const file of files) diagnostics.set(file, sortDiagnostics(run.sink.diagnostics(file)));
  return { files, diagnostics, dependencies };
}

function sortDiagnostics(list: BridgeDiagnostic[]): BridgeDiagnostic[] {
  return [...list].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));
}

/** One lint run: reads each referenced file once and checks each shared file once. */
class LintRun {
  readonly sink = new DiagnosticSink();
  private readonly texts = new Map<string, Promise<SourceText | undefined>>();
  private readonly pipelines = new Map<string, PipelineFacts | undefined>();
  private readonly definitions = new Map<string, AslDefinitionFacts | undefined>();
  private readonly globals = new Map<string, Promise<CaseInsensitiveSet | undefined>>();
  private readonly checkedMocks = new Set<string>();
  private readonly listings = new Map<string, Promise<string[]>>();
  private readonly profiles = new Map<string, Promise<Awaited<ReturnType<typeof longLivedKeysOfProfile>>>>();
  private readonly cache: LintCache;

  constructor(
    private readonly host: FileHost,
    private readonly options: LintOptions,
  ) {
    // Without a cache from the caller, a private one still shares work within this run.
    this.cache = options.cache ?? new LintCache();
  }

  /** The ADF repo reader's view of the disk: this run's reads and folder listings, each done once. */
  private readonly repoHost: RepoReadHost = {
    readFile: async (p) => (await this.read(p))?.text,
    readDirectory: (dir) => {
      let listing = this.listings.get(dir);
      if (!listing) this.listings.set(dir, (listing = this.host.readDirectory(dir)));
      return listing;
    },
  };

  private read(p: string): Promise<SourceText | undefined> {
    let text = this.texts.get(p);
    if (!text) {
      // The disk's reader drops a byte order mark; other hosts (tests, the editor's overlays) may not.
      text = this.host.readFile(p).then((t) => (t === undefined ? undefined : new SourceText(p, withoutByteOrderMark(t))));
      this.texts.set(p, text);
    }
    return text;
  }

  async lintConfig(configPath: string, deps: Set<string>): Promise<void> {
    const sink = this.sink;
    sink.touch(configPath);
    const src = await this.read(configPath);
    if (!src) {
      const reason = await this.host.unreadableReason?.(configPath);
      const message = reason ? `This config file ${reason}: bridge reads only regular files of at most ${megabytes(MAX_READ_BYTES)}.` : 'This config file could not be read: check that it exists and is a readable file.';
      sink.report('file-not-found', configPath, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message);
      return;
    }
    const parsed = reportJsonProblems(src, parseJson(src), sink);
    if (!parsed.root) return;
    const facts = parsed.syntax.length ? checkConfigPastSyntaxErrors(src, parsed, sink) : checkConfig(src, parsed.root, sink);
    if (!facts) return;

    const profile = stringAt(parsed.root, ['aws', 'profile']);
    if (profile && this.options.env) await this.checkProfile(src, profile);

    const dir = path.dirname(configPath);
    let repoRoot: string | undefined;
    if (facts.repoRoot && facts.repoRoot.value !== '') {
      const root = path.resolve(dir, facts.repoRoot.value);
      deps.add(root);
      deps.add(adfRepoFolder(root, 'pipeline'));
      deps.add(adfRepoFolder(root, 'factory'));
      const kind = await this.host.stat(root);
      if (kind === 'directory') repoRoot = root;
      else {
        sink.onNode(
          'file-not-found',
          src,
          facts.repoRoot.node,
          kind === 'file'
            ? `azure.repoRoot must be the ADF git root folder, but ${root} is a file. Point it at the folder that holds pipeline/ and factory/.`
            : `azure.repoRoot: folder ${root} does not exist. Point it at the ADF git root (the folder that holds pipeline/ and factory/), relative to this config.`,
        );
      }
    }
    for (const link of facts.links) await this.lintLink(src, link, repoRoot, deps);
  }

  private async checkProfile(src: SourceText, profile: Located<string>): Promise<void> {
    let found = this.profiles.get(profile.value);
    if (!found) {
      found = longLivedKeysOfProfile(profile.value, this.host, this.options.env ?? {});
      this.profiles.set(profile.value, found);
    }
    const keys = await found;
    if (keys) {
      this.sink.onNode(
        'static-credentials',
        src,
        profile.node,
        `Profile "${profile.value}" holds long-lived access keys (section [${keys.section}] of ${keys.file}). Use short-lived credentials instead: IAM Identity Center (aws configure sso), or a role_arn the profile assumes.`,
      );
    }
  }

  private async lintLink(src: SourceText, link: LinkFacts, repoRoot: string | undefined, deps: Set<string>): Promise<void> {
    let pipeline: PipelineFacts | undefined;
    if (link.pipeline && repoRoot) pipeline = await this.lintPipelineOfLink(src, link, link.pipeline, repoRoot, deps);

    let definition: AslDefinitionFacts | undefined;
    if (link.definition) {
      const file = await this.referenced(src, link.definition, 'stateMachine.definition', 'an ASL definition', deps);
      if (file) definition = await this.lintDefinition(file);
    }
    if (link.mocks) {
      const file = await this.referenced(src, link.mocks, 'mocks', 'a MockConfigFile', deps);
      const stateMachineName = link.stateMachineArn ? stateMachineNameOf(link.stateMachineArn.value) : undefined;
      const key = `${file?.path}\0${stateMachineName}\0${link.definition?.value ?? ''}`;
      if (file && stateMachineName && !this.checkedMocks.has(key)) {
        this.checkedMocks.add(key);
        const definitionText = link.definition ? ((await this.read(resolveFrom(src.path, link.definition.value)))?.text ?? '') : '';
        this.cache.run('mocks', file.path, file.text, [stateMachineName, definitionText], this.sink, (sink) => {
          sink.touch(file.path);
          validateMockConfig(file, parseJson(file, { strict: true }), sink, { stateMachineName, definition });
        });
      }
    }
    for (const payload of link.payloads) {
      const file = await this.referenced(src, payload, 'payloads', 'a payload file', deps);
      if (file) {
        const context = [link.trigger, link.correlationParameter?.value, link.pipeline?.value, pipeline?.src.text];
        this.cache.run(`payload:${link.trigger === 'adf-to-sfn' ? link.pipeline?.value : ''}`, file.path, file.text, context, this.sink, (sink) => checkPayload(file, link, pipeline, sink));
      }
    }
  }

  /** Resolves a path value of the config; reports file-not-found when nothing readable is there. */
  private async referenced(src: SourceText, value: Located<string>, key: string, what: string, deps: Set<string>): Promise<SourceText | undefined> {
    if (value.value === '') return undefined; // reported as an empty value by the structure check
    const abs = resolveFrom(src.path, value.value);
    deps.add(abs);
    const file = await this.read(abs);
    if (file) return file;
    const kind = await this.host.stat(abs);
    // Something there that cannot be read (a FIFO, a device, too big, no permission) is not "not found".
    const reason = kind === 'directory' ? undefined : await this.host.unreadableReason?.(abs);
    this.sink.onNode(
      'file-not-found',
      src,
      value.node,
      kind === 'directory'
        ? `${key}: ${abs} is a folder, but ${what} is expected. Name the file.`
        : reason
          ? `${key}: ${abs} ${reason}. Point it at ${what}: a regular file of at most ${megabytes(MAX_READ_BYTES)}.`
          : `${key}: ${what} was not found at ${abs}. Create it, or fix the path (relative to this config's folder).`,
    );
    return undefined;
  }

  private async lintPipelineOfLink(src: SourceText, link: LinkFacts, name: Located<string>, repoRoot: string, deps: Set<string>): Promise<PipelineFacts | undefined> {
    const file = (await findPipelineFile(this.repoHost, repoRoot, name.value))?.file ?? pipelineFilePath(repoRoot, name.value);
    deps.add(file);
    const factoryFiles = await this.factoryFiles(repoRoot, deps);
    let pipeline = this.pipelines.get(file);
    if (!this.pipelines.has(file)) {
      const text = await this.read(file);
      const globals = text ? await this.globalParameters(repoRoot, factoryFiles) : undefined;
      pipeline = text
        ? this.cache.run('pipeline', file, text.text, [globals ? [...globals].sort().join('\0') : undefined], this.sink, (sink) => {
            const facts = readPipeline(text);
            sink.touch(file);
            reportJsonProblems(facts.src, facts.parsed, sink);
            if (facts.parsed.root) checkPipelineExpressions(facts, globals, sink);
            return facts;
          })
        : undefined;
      this.pipelines.set(file, pipeline);
    }
    if (!pipeline) {
      const reason = await this.host.unreadableReason?.(file);
      if (reason) {
        this.sink.onNode('pipeline-not-found', src, name.node, `Pipeline "${name.value}": ${file} ${reason}. A pipeline file must be a regular JSON file of at most ${megabytes(MAX_READ_BYTES)}.`);
        return undefined;
      }
      const names = (await pipelineFiles(this.repoHost, repoRoot)).map((f) => path.basename(f).slice(0, -5));
      const other = closest(name.value, names);
      this.sink.onNode(
        'pipeline-not-found',
        src,
        name.node,
        `The ADF repo has no pipeline "${name.value}" (no ${path.relative(path.dirname(src.path), file) || file}).${other ? ` Did you mean "${other}"?` : names.length ? ` Pipelines there: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}. Use one of them, or create the pipeline, or fix azure.repoRoot.` : ' Check azure.repoRoot and the pipeline name.'}`,
        other ? { kind: 'replace-value', value: other } : undefined,
      );
      return undefined;
    }
    if (pipeline.parsed.root) checkLinkAgainstPipeline(src, link, pipeline, this.sink);
    return pipeline.parsed.root ? pipeline : undefined;
  }

  private async factoryFiles(repoRoot: string, deps: Set<string>): Promise<string[]> {
    // The folder is listed once a run (repoHost); each link's deps get its files.
    const files = await repoJsonFiles(this.repoHost, adfRepoFolder(repoRoot, 'factory'));
    for (const f of files) deps.add(f);
    return files;
  }

  /** Global parameter names of the factory, or undefined when the repo has no factory file to say. */
  private globalParameters(repoRoot: string, files: string[]): Promise<CaseInsensitiveSet | undefined> {
    let names = this.globals.get(repoRoot);
    if (!names) {
      names = (async () => {
        if (files.length === 0) return undefined;
        const out = new CaseInsensitiveSet();
        for (const f of files) {
          const text = await this.read(f);
          if (text) for (const n of readGlobalParameters(text)) out.add(n);
        }
        return out;
      })();
      this.globals.set(repoRoot, names);
    }
    return names;
  }

  private async lintDefinition(file: SourceText): Promise<AslDefinitionFacts | undefined> {
    if (this.definitions.has(file.path)) return this.definitions.get(file.path);
    this.sink.touch(file.path);
    this.definitions.set(file.path, undefined);
    const { validateAslDefinition } = await loadAslValidation();
    const facts = this.cache.run('asl', file.path, file.text, [], this.sink, (sink) => validateAslDefinition(file, parseJson(file, { strict: true }), sink));
    this.definitions.set(file.path, facts);
    return facts;
  }
}

// The same few relative paths are resolved for every link on every keystroke in the editor.
// The key is the config's path, a NUL (never in a path), then the value (which may hold one).
const resolvedPaths = memoize((key) => {
  const cut = key.indexOf('\0');
  return path.resolve(path.dirname(key.slice(0, cut)), key.slice(cut + 1));
});

/** A path value of a config, relative to the config's folder, made absolute. */
function resolveFrom(configPath: string, value: string): string {
  return resolvedPaths(`${configPath}\0${value}`);
}

/**
 * The config rules on a tree jsonc-parser recovered from syntax errors, without the problems the
 * recovery made up: a property the parser dropped (an unquoted key, a missing colon) is not
 * "missing", and what it read on a broken line (`01` read as 0) is not the user's value. So
 * missing-property and anything on a line with a syntax error wait until the syntax is fixed;
 * the rest (wrong values, mismatches) is reported now.
 */
function checkConfigPastSyntaxErrors(src: SourceText, parsed: ParsedJson, sink: DiagnosticSink): ConfigFacts | undefined {
  const scratch = new DiagnosticSink();
  const facts = checkConfig(src, parsed.root!, scratch);
  const brokenLines = new Set(parsed.syntax.map((e) => src.positionAt(e.offset).line));
  for (const d of scratch.diagnostics(src.path)) {
    if (d.code === 'missing-property' || brokenLines.has(d.range.start.line) || brokenLines.has(d.range.end.line)) continue;
    sink.report(d.code, d.file, d.range, d.message, d.fix);
  }
  return facts;
}

/** Reports syntax errors and duplicate keys of a parsed JSON file. */
function reportJsonProblems(src: SourceText, parsed: ParsedJson, sink: DiagnosticSink): ParsedJson {
  for (const e of parsed.syntax) sink.at('json-syntax', src, e.offset, e.length, e.message);
  for (const dup of parsed.duplicates) {
    const k = keyNode(dup)!;
    sink.onNode('duplicate-key', src, k, `"${k.value as string}" appears twice in this object; only one can count. Remove or rename one of them.`);
  }
  return parsed;
}
