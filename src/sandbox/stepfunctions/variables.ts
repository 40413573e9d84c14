/**
 * Workflow variables (`Assign`) and their scopes, per the Step Functions developer guide: the
 * top-level states share one scope; each Parallel branch and each Map iteration runs in a scope of
 * its own that reads the enclosing scopes (a distributed Map's does not); what a branch or
 * iteration assigns is not visible outside it (data leaves through its output). A state reads the
 * values as they were when it was entered: its Assign takes effect when it exits.
 */
export class VariableScope {
  private readonly values = new Map<string, unknown>();

  constructor(private readonly parent?: VariableScope) {}

  /** A scope for a branch or iteration: reads this one (unless `isolated`), writes its own. */
  child(isolated = false): VariableScope {
    return new VariableScope(isolated ? undefined : this);
  }

  lookup(name: string): { value: unknown } | undefined {
    if (this.values.has(name)) return { value: this.values.get(name) };
    return this.parent?.lookup(name);
  }

  /** Every visible variable by name, inner values hiding outer ones (a copy: later Assigns do not show). */
  visible(): Record<string, unknown> {
    const out: Record<string, unknown> = this.parent ? this.parent.visible() : {};
    for (const [name, value] of this.values) out[name] = value;
    return out;
  }

  assign(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) this.values.set(name, value);
  }

  /** This scope's own values (for redrive: the scope as it was when a state was entered). */
  snapshot(): Map<string, unknown> {
    return new Map(this.values);
  }

  restore(values: Map<string, unknown>): void {
    this.values.clear();
    for (const [k, v] of values) this.values.set(k, v);
  }
}
