/**
 * The state-walking model of an Amazon States Language definition, on plain JSON values.
 *
 * The validator walks it to find what to check (and maps each `path` back to a position in the
 * file); the Step Functions sandbox walks it to find states, resources and transitions of a
 * definition that came from a file or from the cloud. Lenient by design: it describes whatever
 * is well-formed and skips the rest, because reporting problems is the validator's job.
 */

export const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
export type StateType = (typeof STATE_TYPES)[number];

export type QueryLanguage = 'JSONPath' | 'JSONata';
export const QUERY_LANGUAGES: readonly QueryLanguage[] = ['JSONPath', 'JSONata'];

/** Keys and array indexes from the definition's root to a value. */
export type ValuePath = (string | number)[];

/** A set of states with its own StartAt: the top level, a Parallel branch, or a Map's item processor. */
export interface StateMachineScope {
  kind: 'top-level' | 'parallel-branch' | 'map-item-processor' | 'map-iterator';
  /** Path of the object that holds StartAt and States (`[]` for the top level). */
  path: ValuePath;
  /** The Parallel or Map state that owns this scope; undefined at the top level. */
  owner?: string;
  startAt?: string;
  /** Names of the states directly in this scope, in file order. */
  stateNames: string[];
}

/** A transition from one state to another, where the name of the target is written. */
export interface AslTransition {
  target: string;
  /** Path of the string that names the target. */
  path: ValuePath;
  via: 'Next' | 'Default' | 'Choices' | 'Catch';
}

export interface AslState {
  name: string;
  /** Path of the state's object: `[...scope.path, 'States', name]`. */
  path: ValuePath;
  scope: StateMachineScope;
  /** `Type` as written, when it is a string. */
  type?: string;
  /** A Task's `Resource`, when it is a string. */
  resource?: string;
  /** The state's own QueryLanguage, else the definition's (JSONPath when neither is set). */
  queryLanguage: QueryLanguage;
  end: boolean;
  transitions: AslTransition[];
  /** The state's object as written (empty when the state is not an object). */
  definition: Record<string, unknown>;
}

export interface AslModel {
  /** The definition's top-level QueryLanguage (JSONPath when absent or not valid). */
  queryLanguage: QueryLanguage;
  scopes: StateMachineScope[];
  /** Every state in every scope, in file order (depth first); names may repeat in invalid definitions. */
  states: AslState[];
}

/** Facts about a definition that other checks and the sandbox need. */
export interface AslDefinitionFacts {
  startAt?: string;
  /** The top-level QueryLanguage (JSONPath when absent). */
  queryLanguage: QueryLanguage;
  /** True when the top level or any state uses JSONata. */
  usesJsonata: boolean;
  /** Every state name, including states nested in Parallel branches and Map item processors. */
  stateNames: Set<string>;
  /** Each state by name (the first one, if a name repeats). */
  states: Map<string, AslStateFacts>;
}

export interface AslStateFacts {
  name: string;
  type?: string;
  resource?: string;
  queryLanguage: QueryLanguage;
  /** The Parallel or Map state this state is nested in; undefined at the top level. */
  parent?: string;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asQueryLanguage(v: unknown): QueryLanguage | undefined {
  return v === 'JSONPath' || v === 'JSONata' ? v : undefined;
}

/** Walks a definition (plain JSON) into scopes and states. Never throws. */
export function readStateMachine(definition: unknown): AslModel {
  const top = isObject(definition) ? definition : {};
  const queryLanguage = asQueryLanguage(top.QueryLanguage) ?? 'JSONPath';
  const model: AslModel = { queryLanguage, scopes: [], states: [] };
  readScope(model, top, [], 'top-level', undefined);
  return model;
}

function readScope(model: AslModel, obj: Record<string, unknown>, path: ValuePath, kind: StateMachineScope['kind'], owner: string | undefined): void {
  const scope: StateMachineScope = { kind, path, owner, stateNames: [] };
  if (typeof obj.StartAt === 'string') scope.startAt = obj.StartAt;
  model.scopes.push(scope);
  const states = obj.States;
  if (!isObject(states)) return;
  for (const [name, value] of Object.entries(states)) {
    scope.stateNames.push(name);
    const statePath = [...path, 'States', name];
    const def = isObject(value) ? value : {};
    const state: AslState = {
      name,
      path: statePath,
      scope,
      queryLanguage: asQueryLanguage(def.QueryLanguage) ?? model.queryLanguage,
      end: def.End === true,
      transitions: transitionsOf(def, statePath),
      definition: def,
    };
    if (typeof def.Type === 'string') state.type = def.Type;
    if (typeof def.Resource === 'string') state.resource = def.Resource;
    model.states.push(state);
    if (def.Type === 'Parallel' && Array.isArray(def.Branches)) {
      def.Branches.forEach((branch, i) => {
        if (isObject(branch)) readScope(model, branch, [...statePath, 'Branches', i], 'parallel-branch', name);
      });
    } else if (def.Type === 'Map') {
      if (isObject(def.ItemProcessor)) readScope(model, def.ItemProcessor, [...statePath, 'ItemProcessor'], 'map-item-processor', name);
      if (isObject(def.Iterator)) readScope(model, def.Iterator, [...statePath, 'Iterator'], 'map-iterator', name);
    }
  }
}

function transitionsOf(def: Record<string, unknown>, statePath: ValuePath): AslTransition[] {
  const out: AslTransition[] = [];
  if (typeof def.Next === 'string') out.push({ target: def.Next, path: [...statePath, 'Next'], via: 'Next' });
  if (def.Type === 'Choice') {
    if (typeof def.Default === 'string') out.push({ target: def.Default, path: [...statePath, 'Default'], via: 'Default' });
    if (Array.isArray(def.Choices)) {
      def.Choices.forEach((rule, i) => {
        if (isObject(rule) && typeof rule.Next === 'string') out.push({ target: rule.Next, path: [...statePath, 'Choices', i, 'Next'], via: 'Choices' });
      });
    }
  }
  if (Array.isArray(def.Catch)) {
    def.Catch.forEach((catcher, i) => {
      if (isObject(catcher) && typeof catcher.Next === 'string') out.push({ target: catcher.Next, path: [...statePath, 'Catch', i, 'Next'], via: 'Catch' });
    });
  }
  return out;
}

/** The facts of a walked definition. */
export function definitionFacts(definition: unknown, model: AslModel = readStateMachine(definition)): AslDefinitionFacts {
  const facts: AslDefinitionFacts = {
    queryLanguage: model.queryLanguage,
    usesJsonata: model.queryLanguage === 'JSONata',
    stateNames: new Set(),
    states: new Map(),
  };
  const top = model.scopes[0];
  if (top?.startAt !== undefined) facts.startAt = top.startAt;
  for (const s of model.states) {
    facts.stateNames.add(s.name);
    if (s.queryLanguage === 'JSONata') facts.usesJsonata = true;
    if (facts.states.has(s.name)) continue;
    const f: AslStateFacts = { name: s.name, queryLanguage: s.queryLanguage };
    if (s.type !== undefined) f.type = s.type;
    if (s.resource !== undefined) f.resource = s.resource;
    if (s.scope.owner !== undefined) f.parent = s.scope.owner;
    facts.states.set(s.name, f);
  }
  return facts;
}

/**
 * Names of the states reachable from a scope's StartAt through transitions within that scope.
 * `scopeStates`: the scope's states, when the caller has them grouped already.
 */
export function reachableStates(model: AslModel, scope: StateMachineScope, scopeStates?: readonly AslState[]): Set<string> {
  const byName = new Map<string, AslState>();
  for (const s of scopeStates ?? model.states) if (s.scope === scope && !byName.has(s.name)) byName.set(s.name, s);
  const seen = new Set<string>();
  const queue: string[] = scope.startAt !== undefined ? [scope.startAt] : [];
  while (queue.length) {
    const name = queue.pop()!;
    const state = byName.get(name);
    if (!state || seen.has(name)) continue;
    seen.add(name);
    for (const t of state.transitions) queue.push(t.target);
  }
  return seen;
}
