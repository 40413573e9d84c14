import type { ErrorObject } from 'ajv';
import type { Node } from 'jsonc-parser';
import { closest } from '../config/suggest';
import { jsonValue, type ParsedJson } from '../json/jsonc';
import { nodeSpan, type DiagnosticSink } from '../rules/report';
import type { SourceText } from '../text';
import {
  definitionFacts,
  isObject,
  QUERY_LANGUAGES,
  reachableStates,
  readStateMachine,
  STATE_TYPES,
  type AslDefinitionFacts,
  type AslModel,
  type AslState,
  type QueryLanguage,
  type StateMachineScope,
  type StateType,
  type ValuePath,
} from './model';
import { aslSchemas, type AslSchemas } from './schemas';
import { HALF_DELIMITED_PATTERN, JSONATA_EXPRESSION_PATTERN, NOT_JSONATA_PATTERN } from './schema-overlay';

/**
 * Validates a linked ASL definition (strict JSON, already parsed) and reports every problem as
 * `asl-invalid` on the ASL file, at the range of the offending key or value.
 *
 * Structure comes from asl-validator's JSON Schemas (compiled once, see ./schemas), checked state
 * by state against the one variant (type x query language) that applies, so that one mistake is
 * one diagnostic. The graph checks (transition targets, reachability, terminal states, unique
 * names, mutually exclusive fields) are done here on the model: asl-validator's own versions of
 * them report neither pointers nor positions, miss transitions out of a Map's ItemProcessor and
 * unreachable cycles, and throw on a Parameters field named "States".
 *
 * Returns the definition's facts when the file holds a JSON object (even an invalid one, so that
 * the mocks check can still compare state names), undefined when it is not JSON or not an object.
 */
export function validateAslDefinition(src: SourceText, parsed: ParsedJson, sink: DiagnosticSink): AslDefinitionFacts | undefined {
  sink.touch(src.path);
  if (parsed.syntax.length > 0) {
    for (const p of parsed.syntax) {
      sink.at('asl-invalid', src, p.offset, p.length, `This ASL definition is not valid JSON: ${p.message}`);
    }
    return undefined;
  }
  const root = parsed.root;
  if (!root) return undefined;
  if (root.type !== 'object') {
    sink.onNode(
      'asl-invalid',
      src,
      root,
      `An ASL definition is a JSON object with "StartAt" and "States", but this file holds ${describeJsonType(root)}. Write the state machine definition as an object, for example {"StartAt": "First", "States": {"First": {"Type": "Pass", "End": true}}}.`,
    );
    return undefined;
  }
  const definition = plainValue(src, root);
  const model = readStateMachine(definition);
  const problems = new Problems(src, root);
  reportDuplicateKeys(parsed, problems);
  try {
    const schemas = aslSchemas();
    checkTopLevelSchema(schemas, definition, problems);
    for (const state of model.states) checkStateSchema(schemas, state, model, problems);
  } catch (e) {
    // Only a missing or changed asl-validator gets here: say so rather than pass the file silently.
    problems.add(problems.anchor([]), `The ASL schemas could not be used (${e instanceof Error ? e.message : String(e)}), so the structure of this file was not checked. Reinstall the dependencies (npm ci) and lint again.`);
  }
  checkGraph(model, problems);
  checkExclusiveFields(model, problems);
  checkRenamedFieldCollisions(model, problems);
  for (const p of problems.sorted()) sink.at('asl-invalid', src, p.offset, p.length, p.message);
  return definitionFacts(definition, model);
}

/** A repeated key silently loses one of its values (JSON keeps the last): say which. */
function reportDuplicateKeys(parsed: ParsedJson, problems: Problems): void {
  for (const prop of parsed.duplicates) {
    const key = prop.children?.[0];
    if (!key || typeof key.value !== 'string') continue;
    const container = prop.parent?.parent;
    const inStates = container?.type === 'property' && container.children?.[0]?.value === 'States';
    problems.add(
      key,
      inStates
        ? `State '${key.value}' is defined twice in this "States" object; only the last definition counts. Rename or remove one of them.`
        : `"${key.value}" appears twice in this object; only the last one counts. Remove or rename one of them.`,
    );
  }
}

/** The definition as plain JSON: JSON.parse is several times faster than rebuilding it from the tree. */
function plainValue(src: SourceText, root: Node): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(src.text);
    if (isObject(v)) return v;
  } catch {
    // Not strict JSON (a caller parsed it as JSONC): use the tree.
  }
  return jsonValue(root) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Positions

interface Problem {
  offset: number;
  length: number;
  message: string;
}

interface Span {
  offset: number;
  length: number;
}

/** Problems found so far, each at a span of the file; one message per span and text. */
class Problems {
  private readonly list: Problem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly src: SourceText,
    private readonly root: Node,
  ) {}

  /** A node is reported as diagnostics show it: a string key or value on its content, without quotes. */
  add(span: Span | Node, message: string): void {
    const [offset, length] = 'type' in span ? nodeSpan(span) : [span.offset, span.length];
    const key = `${offset}:${length}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ offset, length, message });
  }

  sorted(): Problem[] {
    return [...this.list].sort((a, b) => a.offset - b.offset || a.length - b.length);
  }

  /** Each object's properties by key, built on first use (lookups repeat for every state). */
  private readonly propertyIndex = new Map<Node, Map<string, Node>>();

  /** The node at a path; for a repeated key, the last one (the one JSON.parse keeps). */
  node(path: readonly (string | number)[]): Node | undefined {
    let node: Node | undefined = this.root;
    for (const seg of path) {
      if (!node) return undefined;
      if (node.type === 'array') {
        const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
        node = node.children?.[i];
      } else if (node.type === 'object') {
        node = this.properties(node).get(String(seg));
      } else {
        return undefined;
      }
    }
    return node;
  }

  private properties(obj: Node): Map<string, Node> {
    let index = this.propertyIndex.get(obj);
    if (!index) {
      index = new Map();
      for (const prop of obj.children ?? []) {
        const key = prop.children?.[0]?.value;
        const value = prop.children?.[1];
        if (typeof key === 'string' && value) index.set(key, value);
      }
      this.propertyIndex.set(obj, index);
    }
    return index;
  }

  /** The span of the value at a path (falling back to the nearest existing ancestor). */
  value(path: readonly (string | number)[]): Span {
    for (let n = path.length; n >= 0; n--) {
      const node = this.node(path.slice(0, n));
      if (node) return n === path.length ? node : this.anchorOf(node);
    }
    return { offset: 0, length: 0 };
  }

  /** The span of the key of the property at a path (its value's span when it is an array item). */
  key(path: readonly (string | number)[]): Span {
    const node = this.node(path);
    if (!node) return this.value(path);
    return this.anchorOf(node);
  }

  /** Where to report a problem of an object: its key when it is a property value, else its `{`. */
  anchor(path: readonly (string | number)[]): Span {
    const node = this.node(path);
    return node ? this.anchorOf(node) : this.value(path);
  }

  private anchorOf(node: Node): Span {
    const parent = node.parent;
    if (parent?.type === 'property' && parent.children?.[1] === node && parent.children[0]) return parent.children[0];
    if (node.type === 'object' || node.type === 'array') return { offset: node.offset, length: 1 };
    return node;
  }
}

function describeJsonType(node: Node): string {
  switch (node.type) {
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    default:
      return 'an object';
  }
}

function typeOfValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return typeof v === 'boolean' ? String(v) : typeof v;
}

// ---------------------------------------------------------------------------------------------
// Schema checks

/** What a schema error is about, for messages: "State 'Fetch': Retry[0].MaxAttempts". */
interface ErrorContext {
  /** Path of the validated value from the definition's root. */
  base: ValuePath;
  /** "State 'Fetch'" or "The definition" (the start of a sentence). */
  subject: string;
  state?: AslState;
  stateType?: StateType;
  lang?: QueryLanguage;
  schemas: AslSchemas;
  /** The validated value (for looking at what was written). */
  value: unknown;
}

function checkTopLevelSchema(schemas: AslSchemas, definition: Record<string, unknown>, problems: Problems): void {
  if (schemas.topLevel(definition)) return;
  reportSchemaErrors(schemas.topLevel.errors ?? [], { base: [], subject: 'The definition', schemas, value: definition }, problems);
}

function checkStateSchema(schemas: AslSchemas, state: AslState, model: AslModel, problems: Problems): void {
  const raw = problems.node(state.path);
  const subject = `State '${state.name}'`;
  if (!raw || raw.type !== 'object') {
    problems.add(problems.key(state.path), `${subject} must be a JSON object with a "Type", but it is ${raw ? describeJsonType(raw) : 'missing'}. Write it as {"Type": "Pass", "End": true} or another state type.`);
    return;
  }
  const def = state.definition;
  if (!('Type' in def)) {
    problems.add(problems.key(state.path), `${subject} has no "Type". Add "Type" with one of: ${STATE_TYPES.join(', ')}.`);
    return;
  }
  if (!(STATE_TYPES as readonly unknown[]).includes(def.Type)) {
    const guess = typeof def.Type === 'string' ? closest(def.Type, STATE_TYPES) : undefined;
    problems.add(
      problems.value([...state.path, 'Type']),
      `${subject} has Type ${JSON.stringify(def.Type)}, which is not a state type. ${guess ? `Did you mean "${guess}"? ` : ''}Use one of: ${STATE_TYPES.join(', ')}.`,
    );
    return;
  }
  const type = def.Type as StateType;
  let lang = state.queryLanguage;
  if ('QueryLanguage' in def && !(QUERY_LANGUAGES as readonly unknown[]).includes(def.QueryLanguage)) {
    problems.add(problems.value([...state.path, 'QueryLanguage']), `${subject} has QueryLanguage ${JSON.stringify(def.QueryLanguage)}. Use "JSONPath" or "JSONata" (exact case), or remove it to use the definition's query language.`);
    lang = model.queryLanguage;
  }
  // asl-validator's variants require QueryLanguage on every state; it fills in the default the same way.
  const value = { ...def, QueryLanguage: lang };
  const errors = stateSchemaErrors(schemas, type, lang, value, problems.src.text.substr(raw.offset, raw.length));
  if (errors) reportSchemaErrors(errors, { base: state.path, subject, state, stateType: type, lang, schemas, value }, problems);
}

const STATE_RESULT_CACHE_LIMIT = 5_000;
const stateResults = new Map<string, ErrorObject[] | null>();

/**
 * The schema errors of one state (null when valid), cached by the state's text: a re-lint
 * after an edit re-validates only the states that changed, and states repeated across files
 * (generated workspaces, copied templates) are validated once.
 */
function stateSchemaErrors(schemas: AslSchemas, type: StateType, lang: QueryLanguage, value: Record<string, unknown>, text: string): ErrorObject[] | null {
  // The state's source text determines its value; using it as the key avoids serializing the value.
  const key = `${type}\u0000${lang}\u0000${text}`;
  const cached = stateResults.get(key);
  if (cached !== undefined) return cached;
  const validate = schemas.state(type, lang);
  const result = validate(value) ? null : [...(validate.errors ?? [])];
  if (stateResults.size >= STATE_RESULT_CACHE_LIMIT) stateResults.clear();
  stateResults.set(key, result);
  return result;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isPrefix(prefix: string, pointer: string): boolean {
  return pointer === prefix || pointer.startsWith(prefix + '/');
}

/**
 * Picks the errors that say what is wrong and reports each once. A value that matches no branch
 * of a `oneOf` gets an error from every branch; when some branch got further (errors deeper
 * inside the value), those deeper errors are the real ones, otherwise the branches are summed up
 * in one message ("must be an integer or a JSONata expression").
 */
function reportSchemaErrors(allErrors: ErrorObject[], ctx: ErrorContext, problems: Problems): void {
  const errors = pruneDiscriminatedBranches(allErrors);
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    let list = byPath.get(e.instancePath);
    if (!list) byPath.set(e.instancePath, (list = []));
    list.push(e);
  }
  const paths = [...byPath.keys()];
  const hasDeeper = (p: string) => paths.some((q) => q !== p && isPrefix(p, q));
  const choiceRules = ctx.stateType === 'Choice' && ctx.lang === 'JSONPath';
  for (const [pointer, list] of byPath) {
    const segs = pointerSegments(pointer);
    const alternatives = list.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    if (choiceRules && isChoiceRulePath(segs)) {
      // A choice rule matches none of ~40 operator shapes: explain it from the rule itself.
      if (alternatives && !hasDeeper(pointer)) explainChoiceRule(segs, ctx, problems);
      continue;
    }
    if (alternatives) {
      if (hasDeeper(pointer)) continue;
      problems.add(problems.value([...ctx.base, ...segs]), describeAlternatives(segs, list, ctx));
      continue;
    }
    for (const e of list) reportOne(e, segs, ctx, problems);
  }
}

/**
 * Inline `oneOf` branches told apart by a property's value (ProcessorConfig's `Mode`): a branch
 * whose only complaint is that value is not the branch the author meant, so its errors go. When
 * every branch rejects the value, the value itself is the problem: one error naming all values.
 */
function pruneDiscriminatedBranches(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  const add: ErrorObject[] = [];
  for (const alt of errors) {
    if (alt.keyword !== 'oneOf' && alt.keyword !== 'anyOf') continue;
    const prefix = alt.schemaPath + '/';
    const branches = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      if (e === alt || !isPrefix(alt.instancePath, e.instancePath) || !e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0];
      let list = branches.get(branch);
      if (!list) branches.set(branch, (list = []));
      list.push(e);
    }
    if (branches.size < 2) continue;
    const isDiscriminator = (e: ErrorObject) => (e.keyword === 'enum' || e.keyword === 'const') && e.instancePath !== alt.instancePath;
    const discriminated = [...branches.values()].filter((list) => list.some(isDiscriminator));
    if (discriminated.length === 0) continue;
    if (discriminated.length < branches.size) {
      for (const list of discriminated) for (const e of list) drop.add(e);
      if (branches.size - discriminated.length === 1) drop.add(alt);
      continue;
    }
    const enums = discriminated.flatMap((list) => list.filter(isDiscriminator));
    if (!enums.every((e) => e.instancePath === enums[0].instancePath)) continue;
    for (const list of discriminated) for (const e of list) drop.add(e);
    drop.add(alt);
    const allowed = enums.flatMap((e) => (e.keyword === 'enum' ? ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []) : [(e.params as { allowedValue?: unknown }).allowedValue]));
    add.push({ ...enums[0], keyword: 'enum', params: { allowedValues: [...new Set(allowed)] } });
  }
  return drop.size ? [...errors.filter((e) => !drop.has(e)), ...add] : errors;
}

/** `/Choices/0`, `/Choices/0/And/1`, `/Choices/2/Not`: a (possibly nested) choice rule. */
function isChoiceRulePath(segs: string[]): boolean {
  if (segs[0] !== 'Choices' || segs.length < 2 || !/^\d+$/.test(segs[1])) return false;
  let i = 2;
  while (i < segs.length) {
    if ((segs[i] === 'And' || segs[i] === 'Or') && /^\d+$/.test(segs[i + 1] ?? '')) i += 2;
    else if (segs[i] === 'Not') i += 1;
    else return false;
  }
  return true;
}

function fieldLabel(segs: readonly string[]): string {
  let out = '';
  for (const s of segs) out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

function valueAt(value: unknown, segs: readonly string[]): unknown {
  let v = value;
  for (const s of segs) {
    if (Array.isArray(v)) v = v[Number(s)];
    else if (isObject(v)) v = v[s];
    else return undefined;
  }
  return v;
}

const JSONPATH_ONLY_FIELDS = ['Parameters', 'ResultSelector', 'ResultPath', 'InputPath', 'OutputPath', 'ItemsPath', 'ItemSelector', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'SecondsPath', 'TimestampPath', 'CausePath', 'ErrorPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'];
const JSONATA_ONLY_FIELDS = ['Arguments', 'Output', 'Items', 'Condition'];

function reportOne(e: ErrorObject, segs: string[], ctx: ErrorContext, problems: Problems): void {
  const path = [...ctx.base, ...segs];
  const where = segs.length ? `${ctx.subject}: ${fieldLabel(segs)}` : ctx.subject;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      problems.add(problems.anchor(path), `${where} is missing "${missing}". ${requiredHint(missing, segs, ctx)}`);
      return;
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      problems.add(problems.key([...path, extra]), unknownFieldMessage(extra, segs, ctx));
      return;
    }
    case 'type': {
      const actual = typeOfValue(valueAt(ctx.value, segs));
      problems.add(problems.value(path), `${where} must be ${typeWords(params.type)}, not ${actual}.`);
      return;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      if (segs[segs.length - 1] === 'End' && allowed.length === 1 && allowed[0] === true) {
        problems.add(problems.value(path), `${where} can only be true. To continue to another state, remove "End" and set "Next".`);
        return;
      }
      problems.add(problems.value(path), `${where} must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, not ${JSON.stringify(valueAt(ctx.value, segs))}.`);
      return;
    }
    case 'format':
      problems.add(problems.value(path), `${where} ${formatMessage(String(params.format), valueAt(ctx.value, segs), ctx)}`);
      return;
    case 'pattern':
      problems.add(problems.value(path), `${where} ${patternMessage(String(params.pattern), valueAt(ctx.value, segs))}`);
      return;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      problems.add(problems.value(path), `${where} must be ${params.comparison} ${params.limit}, not ${JSON.stringify(valueAt(ctx.value, segs))}.`);
      return;
    case 'minItems':
      problems.add(problems.value(path), `${where} must have at least ${params.limit} item${params.limit === 1 ? '' : 's'}.`);
      return;
    case 'not': {
      const value = valueAt(ctx.value, segs);
      if (typeof value === 'string' && new RegExp(HALF_DELIMITED_PATTERN).test(value)) {
        problems.add(problems.value(path), `${where} ${JSON.stringify(value)} has only one of the JSONata delimiters. Write "{% expression %}", or remove "{%" / "%}" for a plain string.`);
        return;
      }
      problems.add(problems.value(path), `${where} is not valid: ${e.message ?? e.keyword}.`);
      return;
    }
    default:
      problems.add(problems.value(path), `${where} is not valid: ${e.message ?? e.keyword}.`);
  }
}

function requiredHint(missing: string, segs: string[], ctx: ErrorContext): string {
  if (segs.length === 0 && ctx.state) {
    if (missing === 'Resource') return 'A Task needs the ARN of what it calls, for example "arn:aws:states:::lambda:invoke".';
    if (missing === 'Choices') return 'A Choice state needs a non-empty "Choices" array of rules.';
    if (missing === 'Branches') return 'A Parallel state needs a "Branches" array, each with "StartAt" and "States".';
  }
  if (missing === 'StartAt') return 'Add "StartAt" with the name of the first state.';
  if (missing === 'States') return 'Add "States": an object of named states.';
  if (missing === 'ErrorEquals') return 'Add "ErrorEquals": an array of error names such as ["States.ALL"].';
  if (missing === 'Next') return 'Add "Next" with the name of the state to go to.';
  if (missing === 'ExecutionType') return 'A DISTRIBUTED Map runs each batch as a child workflow: add "ExecutionType": "STANDARD" or "EXPRESS".';
  return `Add "${missing}".`;
}

function unknownFieldMessage(extra: string, segs: string[], ctx: ErrorContext): string {
  const where = segs.length ? `${ctx.subject}: ${fieldLabel(segs)}` : ctx.subject;
  const parent = segs[segs.length - 1];
  if (parent === 'States') {
    return extra.length > 80 || extra.length === 0
      ? `State name ${JSON.stringify(extra.length > 40 ? extra.slice(0, 40) + '…' : extra)} has ${extra.length} characters: state names must have 1 to 80. Rename the state (and every Next that names it).`
      : `${where} has an entry ${JSON.stringify(extra)} that is not a valid state name. Rename it.`;
  }
  if (segs.length === 0 && ctx.state && ctx.stateType && ctx.lang) {
    const type = ctx.stateType;
    if (ctx.lang === 'JSONata' && JSONPATH_ONLY_FIELDS.includes(extra)) {
      const instead = extra === 'Parameters' || extra === 'ItemSelector' ? '"Arguments"' : extra === 'Items' || extra === 'ItemsPath' ? '"Items"' : '"Output" (and "Assign")';
      return `${ctx.subject} uses "${extra}", a JSONPath field, but the state's query language is JSONata. Use ${instead} with {% … %} expressions instead, or set "QueryLanguage": "JSONPath" on the state.`;
    }
    if (ctx.lang === 'JSONPath' && JSONATA_ONLY_FIELDS.includes(extra) && ctx.schemas.fields(type, 'JSONata').includes(extra)) {
      return `${ctx.subject} uses "${extra}", a JSONata field, but the state's query language is JSONPath. Set "QueryLanguage": "JSONata" on the state or the definition, or use the JSONPath fields (Parameters, ResultSelector, ResultPath, OutputPath).`;
    }
    const allowed = ctx.schemas.fields(type, ctx.lang);
    const guess = closest(extra, allowed);
    if (guess) return `${ctx.subject} has "${extra}", which a ${type} state does not have. Did you mean "${guess}"?`;
    if (['Next', 'End'].includes(extra) && (type === 'Succeed' || type === 'Fail')) {
      return `${ctx.subject} is a ${type} state, which ends the execution: it takes no "${extra}". Remove it.`;
    }
    if (extra === 'End' && type === 'Choice') return `${ctx.subject} is a Choice state: it cannot end the execution. Remove "End" and route a rule or "Default" to a Succeed state.`;
    return `${ctx.subject} has "${extra}", which a ${type} state (${ctx.lang}) does not have. Remove it. Allowed fields: ${allowed.join(', ')}.`;
  }
  if (segs.length === 0 && !ctx.state) {
    const guess = closest(extra, ['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
    return `The definition has "${extra}", which is not a top-level field of a state machine. ${guess ? `Did you mean "${guess}"?` : 'Remove it. Allowed: Comment, StartAt, States, Version, TimeoutSeconds, QueryLanguage.'}`;
  }
  return `${where} has "${extra}", which is not allowed here. Remove it.`;
}

function typeWords(t: unknown): string {
  const one = (x: string) =>
    ({ string: 'a string', number: 'a number', integer: 'an integer', boolean: 'true or false', object: 'an object', array: 'an array', null: 'null' })[x] ?? x;
  return Array.isArray(t) ? t.map((x) => one(String(x))).join(' or ') : one(String(t));
}

/** The intrinsic functions of the Amazon States Language (Step Functions developer guide, "Intrinsic functions"). */
const INTRINSIC_FUNCTIONS = [
  'States.Format', 'States.StringToJson', 'States.JsonToString', 'States.Array', 'States.ArrayPartition', 'States.ArrayContains',
  'States.ArrayRange', 'States.ArrayGetItem', 'States.ArrayLength', 'States.ArrayUnique', 'States.Base64Encode', 'States.Base64Decode',
  'States.Hash', 'States.JsonMerge', 'States.MathRandom', 'States.MathAdd', 'States.StringSplit', 'States.UUID',
];

/** The first `States.X(` that names no intrinsic function, as written. */
function unknownIntrinsic(value: string): string | undefined {
  for (const m of value.matchAll(/States\.[A-Za-z0-9]+(?=\s*\()/g)) if (!INTRINSIC_FUNCTIONS.includes(m[0])) return m[0];
  return undefined;
}

function formatMessage(format: string, value: unknown, ctx: ErrorContext): string {
  const v = JSON.stringify(value);
  switch (format) {
    case 'asl_path':
      return `${v} is not a valid Path. Write a JSONPath that starts with "$" (for example "$.detail") or "$$." for the context object.`;
    case 'asl_ref_path':
      return `${v} is not a valid Reference Path. Write a JSONPath to a single value, such as "$.order.id", without filters or wildcards.`;
    case 'asl_result_path':
      return `${v} is not a valid ResultPath. Write a Reference Path such as "$.result" (or "$" / null), without "$$" or variables.`;
    case 'asl_payload_template': {
      const unknown = typeof value === 'string' ? unknownIntrinsic(value) : undefined;
      if (unknown) {
        const other = closest(unknown, INTRINSIC_FUNCTIONS);
        return `${v} calls ${unknown}, which is not an intrinsic function of Step Functions.${other ? ` Did you mean ${other}?` : ''} The intrinsics are ${INTRINSIC_FUNCTIONS.join(', ')}.`;
      }
      return `${v} is not a valid path or intrinsic function. A field ending in ".$" takes a path such as "$.id" or "$$.Execution.Id", a variable such as "$myVar", or an intrinsic such as "States.Format('{}', $.id)".`;
    }
    case 'asl_arn':
      return `${v} is not a valid ARN. Write arn:<partition>:<service>:<region>:<account>:<resource>, for example "arn:aws:states:::lambda:invoke" or "arn:aws:lambda:eu-west-1:123456789012:function:MyFunction".`;
    case 'jsonata_string':
      return `${v} is not a valid JSONata expression. Check the expression between {% and %}.`;
    case 'maybe_jsonata_string':
      return `${v} starts or ends like a JSONata expression but does not parse. Write it as "{% expression %}", or remove the braces for a plain string.`;
    case 'date-time':
      return `${v} is not an ISO 8601 timestamp. Write it like "2026-01-31T23:00:00Z".`;
    default:
      return `${v} does not have the format ${format}${ctx.stateType ? ` required in a ${ctx.stateType} state` : ''}.`;
  }
}


function patternMessage(pattern: string, value: unknown): string {
  const v = JSON.stringify(value);
  if (pattern === JSONATA_EXPRESSION_PATTERN) return `${v} is not a JSONata expression. Write it as "{% expression %}": the whole string, from "{%" to "%}".`;
  if (pattern === NOT_JSONATA_PATTERN) return `${v} looks like a JSONata expression, but this state uses JSONPath. Set "QueryLanguage": "JSONata", or write a plain value.`;
  return `${v} does not match the pattern ${pattern}.`;
}

/** One message for a value that matched none of a oneOf's branches, naming what each branch takes. */
function describeAlternatives(segs: string[], list: ErrorObject[], ctx: ErrorContext): string {
  const where = segs.length ? `${ctx.subject}: ${fieldLabel(segs)}` : ctx.subject;
  const value = valueAt(ctx.value, segs);
  const field = segs[segs.length - 1];
  if (field === 'Resource' && typeof value === 'string') return `${where} ${formatMessage('asl_arn', value, ctx)}`;
  if (field === 'QueryLanguage') return `${where} must be "JSONPath" or "JSONata" (exact case), not ${JSON.stringify(value)}.`;
  // A branch that accepted the value's type and then failed on its format (a JSONata expression
  // that does not parse, a malformed path) is the branch the author meant.
  const format = list.find((e) => e.keyword === 'format');
  if (format) return `${where} ${formatMessage(String((format.params as Record<string, unknown>).format), value, ctx)}`;
  const kinds: string[] = [];
  for (const e of list) {
    const p = e.params as Record<string, unknown>;
    let kind: string | undefined;
    // In a JSONata state, the string branch of a value's oneOf is the "{% … %}" expression.
    if (e.keyword === 'type' && ctx.lang === 'JSONata' && p.type === 'string') kind = 'a JSONata expression "{% … %}"';
    else if (e.keyword === 'type') kind = typeWords(p.type);
    else if (e.keyword === 'pattern' && p.pattern === JSONATA_EXPRESSION_PATTERN) kind = 'a JSONata expression "{% … %}"';
    else if (e.keyword === 'pattern' && p.pattern === NOT_JSONATA_PATTERN) kind = 'a plain string (not a JSONata expression)';
    else if (e.keyword === 'format') kind = `a valid ${String(p.format).replace(/^asl_/, '').replace(/_/g, ' ')}`;
    else if (e.keyword === 'enum') kind = (p.allowedValues as unknown[]).map((a) => JSON.stringify(a)).join(' or ');
    else if (e.keyword === 'minimum') kind = p.comparison === '>=' ? `at least ${p.limit}` : `${p.comparison} ${p.limit}`;
    else if (e.keyword === 'required') kind = `an object with "${p.missingProperty}"`;
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  const shown = JSON.stringify(value);
  const brief = shown !== undefined && shown.length <= 60 ? `, not ${shown}` : ` (it is ${typeOfValue(value)})`;
  return kinds.length ? `${where} must be ${kinds.join(' or ')}${brief}.` : `${where} is not valid here${brief}.`;
}

const LOGICAL_OPERATORS = ['And', 'Or', 'Not'];

/** Explains why a JSONPath choice rule (top-level or nested in And/Or/Not) matches no rule shape. */
function explainChoiceRule(segs: string[], ctx: ErrorContext, problems: Problems): void {
  const path = [...ctx.base, ...segs];
  const rule = valueAt(ctx.value, segs);
  const where = `${ctx.subject}: ${fieldLabel(segs)}`;
  if (!isObject(rule)) {
    problems.add(problems.value(path), `${where} must be a choice rule object such as {"Variable": "$.status", "StringEquals": "done", "Next": "Finish"}, not ${typeOfValue(rule)}.`);
    return;
  }
  const nested = segs.length > 2;
  const operators = ctx.schemas.choiceOperators;
  const keys = Object.keys(rule);
  const comparisons = keys.filter((k) => operators.includes(k));
  const logical = keys.filter((k) => LOGICAL_OPERATORS.includes(k));
  const known = new Set([...operators, ...LOGICAL_OPERATORS, 'Variable', 'Next', 'Assign', 'Comment']);
  const unknown = keys.filter((k) => !known.has(k));
  let explained = false;
  for (const k of unknown) {
    const guess = closest(k, [...operators, ...LOGICAL_OPERATORS, 'Variable', 'Next']);
    problems.add(problems.key([...path, k]), `${where} has "${k}", which is not a choice rule field. ${guess ? `Did you mean "${guess}"?` : 'Use a comparison such as StringEquals, NumericGreaterThan, IsPresent, or And/Or/Not.'}`);
    explained = true;
  }
  if (comparisons.length + logical.length > 1) {
    const second = [...comparisons, ...logical][1];
    problems.add(problems.key([...path, second]), `${where} has more than one operator (${[...comparisons, ...logical].join(', ')}). A rule has exactly one: combine tests with "And": [ … ].`);
    explained = true;
  } else if (comparisons.length + logical.length === 0 && !explained) {
    problems.add(problems.anchor(path), `${where} has no comparison operator. Add one such as "StringEquals", "NumericGreaterThan", "BooleanEquals" or "IsPresent", or combine rules with "And"/"Or"/"Not".`);
    explained = true;
  }
  if (comparisons.length === 1 && !('Variable' in rule)) {
    problems.add(problems.anchor(path), `${where} compares with "${comparisons[0]}" but has no "Variable". Add "Variable" with the path of the value to test, such as "$.status".`);
    explained = true;
  }
  if (logical.length === 1 && 'Variable' in rule) {
    problems.add(problems.key([...path, 'Variable']), `${where} uses "${logical[0]}", which takes no "Variable": put "Variable" in each nested rule.`);
    explained = true;
  }
  if (!nested && !('Next' in rule)) {
    problems.add(problems.anchor(path), `${where} has no "Next". Add "Next" with the state to go to when the rule matches.`);
    explained = true;
  }
  if (nested && 'Next' in rule) {
    problems.add(problems.key([...path, 'Next']), `${where} is nested inside And/Or/Not, where rules take no "Next". Move "Next" to the top-level rule.`);
    explained = true;
  }
  if (!explained) problems.add(problems.anchor(path), `${where} is not a valid choice rule. A rule has one operator and, at the top level, a "Next".`);
}

// ---------------------------------------------------------------------------------------------
// Graph checks

function describeScope(scope: StateMachineScope): string {
  switch (scope.kind) {
    case 'parallel-branch':
      return `the branch of Parallel state '${scope.owner}'`;
    case 'map-item-processor':
      return `the ItemProcessor of Map state '${scope.owner}'`;
    case 'map-iterator':
      return `the Iterator of Map state '${scope.owner}'`;
    default:
      return 'the top level';
  }
}

function checkGraph(model: AslModel, problems: Problems): void {
  const scopeOf = new Map<string, StateMachineScope>();
  const firstByName = new Map<string, AslState>();
  for (const s of model.states) {
    if (!scopeOf.has(s.name)) scopeOf.set(s.name, s.scope);
    const first = firstByName.get(s.name);
    if (first && first !== s) {
      const line = lineHint(problems, first.path);
      problems.add(
        problems.key(s.path),
        `State name '${s.name}' is already used${first.scope === s.scope ? '' : ` in ${describeScope(first.scope)}`}${line}. State names must be unique in the whole state machine, including Parallel branches and Map item processors: rename one of them.`,
      );
    } else if (!first) {
      firstByName.set(s.name, s);
    }
  }

  const statesOf = new Map<StateMachineScope, AslState[]>(model.scopes.map((sc) => [sc, []]));
  for (const s of model.states) statesOf.get(s.scope)?.push(s);
  const suggest = suggester(scopeOf);
  for (const scope of model.scopes) {
    const statesNode = problems.node([...scope.path, 'States']);
    if (!statesNode || statesNode.type !== 'object') continue;
    if (scope.stateNames.length === 0) {
      problems.add(problems.key([...scope.path, 'States']), `"States" of ${describeScope(scope)} is empty. Add at least one state.`);
      continue;
    }
    const names = new Set(scope.stateNames);
    let startValid = false;
    if (scope.startAt !== undefined) {
      if (names.has(scope.startAt)) {
        startValid = true;
      } else {
        problems.add(problems.value([...scope.path, 'StartAt']), targetMessage(`StartAt of ${describeScope(scope)} is`, scope.startAt, scope, scopeOf, 'StartAt', suggest));
      }
    }
    const states = statesOf.get(scope) ?? [];
    for (const s of states) {
      for (const t of s.transitions) {
        if (!names.has(t.target)) problems.add(problems.value(t.path), targetMessage(`State '${s.name}' has ${t.via === 'Choices' ? 'a Choices rule with Next' : t.via === 'Catch' ? 'a Catch with Next' : t.via}`, t.target, scope, scopeOf, t.via, suggest));
      }
    }
    // A broken transition already has its diagnostic; the states behind it would only add noise.
    const transitionsKnown = states.every((st) => transitionsComplete(st) && st.transitions.every((t) => names.has(t.target)));
    if (startValid && transitionsKnown) {
      const reached = reachableStates(model, scope, states);
      for (const s of states) {
        if (!reached.has(s.name)) {
          problems.add(problems.key(s.path), `State '${s.name}' is never reached: no StartAt, Next, Default, Choices rule or Catch in ${describeScope(scope)} leads to it (from StartAt '${scope.startAt}'). Point a transition at it, or remove it.`);
        }
      }
    }
    const terminal = states.some((s) => s.end || s.type === 'Succeed' || s.type === 'Fail');
    // A state whose Type is missing or unknown already has its diagnostic, and may be the terminal
    // state the author meant ("Type": "Succeeded"): no second diagnostic for the same mistake.
    const typesKnown = states.every((s) => (STATE_TYPES as readonly unknown[]).includes(s.type));
    if (!terminal && typesKnown) {
      problems.add(problems.key([...scope.path, 'States']), `${capitalize(describeScope(scope))} has no terminal state, so an execution can never finish. Give the last state "End": true, or add a Succeed or Fail state.`);
    }
  }
}

/** True when every transition field of a state is well-formed, so the model saw all of its transitions. */
function transitionsComplete(state: AslState): boolean {
  const def = state.definition;
  if (!(STATE_TYPES as readonly unknown[]).includes(def.Type)) return false;
  const nameOrAbsent = (v: unknown) => v === undefined || typeof v === 'string';
  const nextsOk = (list: unknown, required: boolean) =>
    list === undefined || (Array.isArray(list) && list.every((x) => isObject(x) && (required ? typeof x.Next === 'string' : nameOrAbsent(x.Next))));
  if (!nameOrAbsent(def.Next)) return false;
  if (def.Type === 'Choice' && (!nameOrAbsent(def.Default) || !Array.isArray(def.Choices) || !nextsOk(def.Choices, false))) return false;
  return nextsOk(def.Catch, true);
}

/** "Did you mean" for missing targets: names grouped by scope once, and a bounded amount of comparing per file (hostile files). */
function suggester(scopeOf: Map<string, StateMachineScope>): (target: string, scope: StateMachineScope) => string | undefined {
  const namesOf = new Map<StateMachineScope, string[]>();
  for (const [name, scope] of scopeOf) {
    let list = namesOf.get(scope);
    if (!list) namesOf.set(scope, (list = []));
    list.push(name);
  }
  let budget = 20_000;
  return (target, scope) => {
    const names = namesOf.get(scope) ?? [];
    if (budget < names.length) return undefined;
    budget -= names.length;
    return closest(target, names);
  };
}

function targetMessage(
  subject: string,
  target: string,
  scope: StateMachineScope,
  scopeOf: Map<string, StateMachineScope>,
  via: string,
  suggest: (target: string, scope: StateMachineScope) => string | undefined,
): string {
  const elsewhere = scopeOf.get(target);
  if (elsewhere && elsewhere !== scope) {
    if (scope.kind === 'top-level') {
      return `${subject} '${target}', but '${target}' is inside ${describeScope(elsewhere)}: states outside can only go to the Parallel or Map state itself. Go to '${elsewhere.owner}' instead.`;
    }
    return `${subject} '${target}', but '${target}' is outside ${describeScope(scope)}: states in a branch or item processor can only go to states of the same branch. End the branch with "End": true and set "Next" on '${scope.owner}'.`;
  }
  const guess = suggest(target, scope);
  return `${subject} '${target}', but no state named '${target}' exists${scope.kind === 'top-level' ? '' : ` in ${describeScope(scope)}`}. ${guess ? `Did you mean '${guess}'? ` : ''}Add the state or fix the name${via === 'StartAt' ? ' in StartAt' : ''}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lineHint(problems: Problems, path: ValuePath): string {
  const node = problems.node(path);
  return node ? ` (first at line ${problems.src.positionAt(node.offset).line + 1})` : '';
}

// ---------------------------------------------------------------------------------------------
// Fields that exclude each other (asl-validator's state checks, with positions)

interface Exclusive {
  types: StateType[];
  props: string[];
  /** Within a nested object of the state (ItemReader.ReaderConfig, ItemBatcher). */
  within?: string[];
  exactlyOne?: boolean;
}

/** The table from asl-validator's validator.ts (AtMostOne / ExactlyOne checks). */
const EXCLUSIVE: Exclusive[] = [
  { types: ['Task'], props: ['TimeoutSeconds', 'TimeoutSecondsPath'] },
  { types: ['Task'], props: ['HeartbeatSeconds', 'HeartbeatSecondsPath'] },
  { types: ['Map'], props: ['ItemProcessor', 'Iterator'], exactlyOne: true },
  { types: ['Map'], props: ['ItemSelector', 'Parameters'] },
  { types: ['Wait'], props: ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'], exactlyOne: true },
  { types: ['Task', 'Pass', 'Wait', 'Parallel', 'Map'], props: ['End', 'Next'], exactlyOne: true },
  { types: ['Map'], props: ['ToleratedFailureCount', 'ToleratedFailureCountPath'] },
  { types: ['Map'], props: ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'] },
  { types: ['Map'], props: ['MaxConcurrency', 'MaxConcurrencyPath'] },
  { types: ['Map'], props: ['Items', 'ItemsPath'] },
  { types: ['Map'], props: ['MaxItems', 'MaxItemsPath'], within: ['ItemReader', 'ReaderConfig'] },
  { types: ['Map'], props: ['MaxItemsPerBatch', 'MaxItemsPerBatchPath'], within: ['ItemBatcher'] },
  { types: ['Map'], props: ['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'], within: ['ItemBatcher'] },
  { types: ['Fail'], props: ['Cause', 'CausePath'] },
  { types: ['Fail'], props: ['Error', 'ErrorPath'] },
];

function checkExclusiveFields(model: AslModel, problems: Problems): void {
  for (const s of model.states) {
    if (!s.type) continue;
    if (s.type === 'Choice' && 'End' in s.definition) {
      problems.add(problems.key([...s.path, 'End']), `State '${s.name}' is a Choice state, which cannot end the execution. Remove "End" and send a rule or "Default" to a Succeed state.`);
    }
    for (const rule of EXCLUSIVE) {
      if (!(rule.types as string[]).includes(s.type)) continue;
      const obj = valueAt(s.definition, rule.within ?? []);
      if (!isObject(obj)) continue;
      const present = rule.props.filter((p) => p in obj);
      const where = rule.within ? `State '${s.name}': ${rule.within.join('.')}` : `State '${s.name}'`;
      if (present.length > 1) {
        const keyNode = problems.key([...s.path, ...(rule.within ?? []), present[1]]);
        problems.add(keyNode, exclusiveMessage(where, s.type, present, rule));
      } else if (present.length === 0 && rule.exactlyOne) {
        problems.add(problems.key(s.path), missingOneMessage(where, s.type, rule.props));
      }
    }
  }
}

function exclusiveMessage(where: string, type: string, present: string[], rule: Exclusive): string {
  if (present.includes('End') && present.includes('Next')) return `${where} has both "Next" and "End". Keep "Next" to continue, or "End": true to finish, not both.`;
  const list = present.map((p) => `"${p}"`).join(' and ');
  return `${where} has ${list}, but a ${type} state takes ${rule.exactlyOne ? 'exactly' : 'at most'} one of ${rule.props.map((p) => `"${p}"`).join(', ')}. Remove ${present.length > 2 ? 'all but one' : 'one'}.`;
}

function missingOneMessage(where: string, type: string, props: string[]): string {
  if (props.includes('End')) return `${where} has neither "Next" nor "End". Add "Next": "<state name>" to continue, or "End": true to finish.`;
  if (props.includes('ItemProcessor')) return `${where} has no "ItemProcessor". A Map state needs "ItemProcessor" with "StartAt" and "States" to run for each item.`;
  if (props.includes('Seconds')) return `${where} does not say how long to wait. Add one of "Seconds", "SecondsPath", "Timestamp" or "TimestampPath".`;
  return `${where} needs exactly one of ${props.map((p) => `"${p}"`).join(', ')} in a ${type} state.`;
}

/**
 * The States Language forbids a payload template field that collides with another once ".$" is
 * stripped ("id" and "id.$"): checked on the tree, since a plain value loses repeated keys.
 */
function checkRenamedFieldCollisions(model: AslModel, problems: Problems): void {
  for (const s of model.states) {
    if (s.queryLanguage !== 'JSONPath') continue;
    for (const field of [['Parameters'], ['ResultSelector'], ['ItemSelector'], ['ItemReader', 'Parameters']]) {
      if (!(field[0] in s.definition)) continue;
      const node = problems.node([...s.path, ...field]);
      if (node) walkTemplate(node, s.name, problems);
    }
  }
}

function walkTemplate(node: Node, stateName: string, problems: Problems): void {
  const stack: Node[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'object' && n.children?.some((p) => typeof p.children?.[0]?.value === 'string' && p.children[0].value.endsWith('.$'))) {
      const seen = new Map<string, string>();
      for (const prop of n.children ?? []) {
        const key = prop.children?.[0];
        if (!key || typeof key.value !== 'string') continue;
        const name = key.value.endsWith('.$') ? key.value.slice(0, -2) : key.value;
        const other = seen.get(name);
        if (other !== undefined && other !== key.value) {
          problems.add(key, `State '${stateName}': "${key.value}" and "${other}" both become "${name}" once ".$" is stripped. Keep one of them.`);
        } else {
          seen.set(name, key.value);
        }
      }
    }
    for (const c of n.children ?? []) stack.push(c);
  }
}
