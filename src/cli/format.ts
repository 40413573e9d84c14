import path = require('node:path');
import type { BridgeDiagnostic, RelatedLocation } from '../core/diagnostics';
import type { LintResult } from '../core/lint/engine';
import { RULES, RULE_CODES, ruleDocUrl } from '../core/rules/codes';
// Messages quote what the files say (URLs, audiences): a SAS signature or a JWT among them must
// not reach a CI log or an uploaded code-scanning result.
import { redactSecrets } from '../core/redact';

export interface Counts {
  errorCount: number;
  warningCount: number;
}

export function countOf(result: LintResult): Counts {
  let errorCount = 0;
  let warningCount = 0;
  for (const list of result.diagnostics.values()) {
    for (const d of list) {
      if (d.severity === 'error') errorCount++;
      else if (d.severity === 'warning') warningCount++;
    }
  }
  return { errorCount, warningCount };
}

/** A path as shown to the user: relative to the working folder when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/** `--format json`: the document shape fixed by the spec. */
export function formatJson(result: LintResult, cwd: string): string {
  const counts = countOf(result);
  return JSON.stringify(
    {
      files: result.files.map((file) => ({
        path: displayPath(file, cwd),
        diagnostics: (result.diagnostics.get(file) ?? []).map((d) => ({
          code: d.code,
          severity: d.severity,
          message: redactSecrets(d.message),
          range: d.range,
          // The other side of a cross-file mismatch (absent when there is none).
          ...(d.related?.length ? { related: d.related.map((r) => ({ path: displayPath(r.file, cwd), message: redactSecrets(r.message), range: r.range })) } : {}),
        })),
      })),
      errorCount: counts.errorCount,
      warningCount: counts.warningCount,
    },
    null,
    2,
  );
}

/** `--format text`: one line per problem, `path:line:column` 1-based so terminals and editors link it. */
export function formatText(result: LintResult, cwd: string, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const file of result.files) {
    const list = result.diagnostics.get(file) ?? [];
    if (!list.length) continue;
    lines.push(paint('4', displayPath(file, cwd)));
    for (const d of list) {
      const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`.padEnd(8);
      const sev = d.severity === 'error' ? paint('31', 'error  ') : d.severity === 'warning' ? paint('33', 'warning') : paint('36', 'info   ');
      lines.push(`  ${where} ${sev}  ${redactSecrets(d.message)}  ${paint('2', d.code)}`);
      for (const r of d.related ?? []) lines.push(paint('2', `  ${''.padEnd(8)}          see ${displayPath(r.file, cwd)}:${r.range.start.line + 1}:${r.range.start.character + 1} (${redactSecrets(r.message)})`));
    }
    lines.push('');
  }
  const { errorCount, warningCount } = countOf(result);
  const configs = result.files.length;
  if (errorCount + warningCount === 0) lines.push(`No problems in ${configs} file${configs === 1 ? '' : 's'}.`);
  else lines.push(paint(errorCount ? '31' : '33', `${errorCount + warningCount} problem${errorCount + warningCount === 1 ? '' : 's'} (${errorCount} error${errorCount === 1 ? '' : 's'}, ${warningCount} warning${warningCount === 1 ? '' : 's'}) in ${configs} file${configs === 1 ? '' : 's'}.`));
  return lines.join('\n');
}

/** `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. */
export function formatSarif(result: LintResult, cwd: string, version: string): string {
  const level = (d: BridgeDiagnostic) => (d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note');
  const results = [];
  for (const file of result.files) {
    for (const d of result.diagnostics.get(file) ?? []) {
      results.push({
        ruleId: d.code,
        ruleIndex: RULE_CODES.indexOf(d.code),
        level: level(d),
        message: { text: redactSecrets(d.message) },
        locations: [{ physicalLocation: sarifPhysicalLocation(file, d.range, cwd) }],
        ...(d.related?.length ? { relatedLocations: d.related.map((r, id) => sarifRelatedLocation(r, id, cwd)) } : {}),
      });
    }
  }
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bridge',
            fullName: 'ADF–Step Functions Bridge lint',
            semanticVersion: version,
            informationUri: 'https://github.com/adf-sfn-bridge/adf-sfn-bridge',
            rules: RULE_CODES.map((code) => ({
              id: code,
              name: code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: RULES[code].summary },
              helpUri: ruleDocUrl(code),
              defaultConfiguration: { level: RULES[code].severity === 'error' ? 'error' : 'warning' },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(cwd) + '/' } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

function sarifPhysicalLocation(file: string, range: BridgeDiagnostic['range'], cwd: string) {
  const shown = displayPath(file, cwd);
  return {
    artifactLocation: path.isAbsolute(shown) ? { uri: pathToFileUri(file) } : { uri: encodeURI(shown), uriBaseId: '%SRCROOT%' },
    region: {
      startLine: range.start.line + 1,
      startColumn: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
    },
  };
}

function sarifRelatedLocation(r: RelatedLocation, id: number, cwd: string) {
  return { id, physicalLocation: sarifPhysicalLocation(r.file, r.range, cwd), message: { text: redactSecrets(r.message) } };
}

function pathToFileUri(p: string): string {
  return 'file://' + encodeURI(p.split(path.sep).join('/')).replace(/^([^/])/, '/$1');
}
