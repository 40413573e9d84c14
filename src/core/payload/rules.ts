import { entries, keyNode, parseJson } from '../json/jsonc';
import type { PipelineFacts } from '../adf/repo';
import { CaseInsensitiveSet, sameName } from '../adf/names';
import type { LinkFacts } from '../config/rules';
import type { DiagnosticSink } from '../rules/report';
import { checkInlineSecrets } from '../rules/secrets';
import { closest } from '../config/suggest';
import type { SourceText } from '../text';

/** Step Functions' limit on execution input, which also bounds what a test run may send. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** Checks one payload file of a link: JSON, size, secrets, and (adf-to-sfn) the pipeline's parameters. */
export function checkPayload(src: SourceText, link: LinkFacts, pipeline: PipelineFacts | undefined, sink: DiagnosticSink): void {
  sink.touch(src.path);
  const bytes = Buffer.byteLength(src.text, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    sink.report(
      'payload-too-large',
      src.path,
      src.firstLineRange(),
      `This payload is ${(bytes / 1024).toFixed(1)} KiB; Step Functions accepts at most 256 KiB of input. Shrink it, or pass a reference (an S3 key) instead of the data.`,
    );
  }
  const parsed = parseJson(src, { strict: true });
  if (parsed.syntax.length || !parsed.root) {
    for (const e of parsed.syntax) sink.at('payload-invalid-json', src, e.offset, e.length, `This payload is not valid JSON: ${e.message}`);
    return;
  }
  for (const dup of parsed.duplicates) {
    const k = keyNode(dup)!;
    sink.onNode('duplicate-key', src, k, `"${k.value as string}" appears twice in this object; only the last one would be sent. Remove one.`);
  }
  checkInlineSecrets(src, parsed.root, sink, 'a payload file');
  if (link.trigger !== 'adf-to-sfn' || !pipeline) return;

  const root = parsed.root;
  if (root.type !== 'object') {
    sink.onNode('invalid-type', src, root, `An adf-to-sfn payload holds the pipeline's parameters as an object, { "name": value }, not ${root.type === 'array' ? 'an array' : `a ${root.type}`}.`);
    return;
  }
  const declared = [...pipeline.parameters.keys()];
  const correlation = link.correlationParameter?.value;
  // Parameter names are case-insensitive in ADF (adf/names.ts).
  const supplied = new CaseInsensitiveSet();
  for (const [name, , prop] of entries(root)) {
    supplied.add(name);
    if (pipeline.parameters.has(name)) continue;
    const other = closest(name, declared.filter((d) => correlation === undefined || !sameName(d, correlation)));
    sink.onNode(
      'payload-unknown-parameter',
      src,
      keyNode(prop)!,
      `Pipeline "${pipeline.name ?? link.pipeline?.value}" declares no parameter "${name}", so ADF would reject or ignore it.${other ? ` Did you mean "${other}"?` : ` Declared: ${declared.join(', ') || 'none'}.`}`,
      other ? { kind: 'rename-key', to: other } : undefined,
    );
  }
  const missing = [...pipeline.parameters.values()].filter((p) => !p.hasDefault && !supplied.has(p.name) && !(correlation !== undefined && sameName(p.name, correlation)));
  for (const parameter of missing) {
    sink.at(
      'payload-missing-parameter',
      src,
      root.offset,
      1,
      `Pipeline "${pipeline.name ?? link.pipeline?.value}" requires parameter "${parameter.name}"${parameter.type ? ` (${parameter.type})` : ''}, which has no default and is not in this payload. Add "${parameter.name}".`,
      { kind: 'insert-property', path: [], key: parameter.name, value: '' },
    );
  }
}
