/**
 * ADF compares names of pipelines, pipeline parameters and variables without regard to case
 * (Microsoft's "Naming rules" for Data Factory: "Unique within the pipeline. Names are
 * case-insensitive"), so `@pipeline().parameters.ExecutionId` reads a parameter declared as
 * `executionId`. Every rule that compares such names looks them up here, never with `===`.
 */

/** The one way names are folded for comparison. */
export function foldName(name: string): string {
  return name.toLowerCase();
}

export function sameName(a: string, b: string): boolean {
  return a === b || foldName(a) === foldName(b);
}

/**
 * A map keyed by declared names (iteration yields them as written) whose `get`/`has` ignore case.
 * An exact match wins over a case-insensitive one.
 */
export class CaseInsensitiveMap<T> extends Map<string, T> {
  private folded?: Map<string, string>;

  override set(key: string, value: T): this {
    super.set(key, value);
    this.folded ??= new Map();
    const f = foldName(key);
    if (!this.folded.has(f)) this.folded.set(f, key);
    return this;
  }

  override get(key: string): T | undefined {
    return super.get(this.declared(key) ?? key);
  }

  override has(key: string): boolean {
    return this.declared(key) !== undefined;
  }

  override delete(key: string): boolean {
    const declared = this.declared(key);
    if (declared === undefined) return false;
    super.delete(declared);
    this.folded = undefined;
    for (const k of super.keys()) {
      this.folded ??= new Map();
      if (!this.folded.has(foldName(k))) this.folded.set(foldName(k), k);
    }
    return true;
  }

  override clear(): void {
    super.clear();
    this.folded = undefined;
  }

  /** The name as declared for `key` (exact, else case-insensitive), or undefined. */
  declared(key: string): string | undefined {
    if (super.has(key)) return key;
    return this.folded?.get(foldName(key));
  }
}

/** A set of names whose `has` ignores case, keeping the declared spellings. */
export class CaseInsensitiveSet {
  private readonly byFolded = new Map<string, string>();

  constructor(names: Iterable<string> = []) {
    for (const n of names) this.add(n);
  }

  add(name: string): this {
    const f = foldName(name);
    if (!this.byFolded.has(f)) this.byFolded.set(f, name);
    return this;
  }

  has(name: string): boolean {
    return this.byFolded.has(foldName(name));
  }

  /** The name as declared, or undefined. */
  declared(name: string): string | undefined {
    return this.byFolded.get(foldName(name));
  }

  get size(): number {
    return this.byFolded.size;
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.byFolded.values();
  }
}
