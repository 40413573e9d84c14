/**
 * Checks a workspace state machine before the interpreter runs it: the project's ASL validator
 * (the same rules `bridge lint` applies) must find no errors, else every execution fails at once
 * with those problems as its cause, instead of running a definition AWS would refuse.
 */
import { isObject } from '../../core/asl/model';
import { validateAslDefinition } from '../../core/asl/validate';
import { parseJson } from '../../core/json/jsonc';
import { DiagnosticSink } from '../../core/rules/report';
import { SourceText } from '../../core/text';

export interface PreparedDefinition {
  /** The definition as written (what the interpreter runs). */
  definition: Record<string, unknown>;
  /** Why the definition cannot run at all (validator errors), when it cannot. */
  problems: string[];
}

/** Errors the project's ASL validator finds in a definition. */
function definitionProblems(definition: unknown, label: string): string[] {
  const src = new SourceText(label, JSON.stringify(definition, null, 2));
  const sink = new DiagnosticSink();
  try {
    validateAslDefinition(src, parseJson(src, { strict: true }), sink);
  } catch (e) {
    return [`the ASL validator failed: ${(e as Error).message}`];
  }
  return sink
    .diagnostics(label)
    .filter((d) => d.severity === 'error')
    .map((d) => d.message);
}

/** `label` names the definition in problems (e.g. the state machine ARN). */
export function prepareDefinition(definition: unknown, label: string): PreparedDefinition {
  if (!isObject(definition)) return { definition: {}, problems: ['The definition is not a JSON object.'] };
  return { definition, problems: definitionProblems(definition, label) };
}
