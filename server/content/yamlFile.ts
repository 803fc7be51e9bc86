/**
 * Reading content files (intents/, dialogs/) so that every later error can
 * name file, line and field. Both loaders go through here.
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';

/** A problem in a content file. `file:line field: message`. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ''} ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ContentError';
  }
}

/** Several content problems at once: loading reports all of them, not the first. */
export class ContentErrors extends Error {
  constructor(readonly problems: ContentError[]) {
    super(`${problems.length} content problem(s):\n` + problems.map((p) => `  ${p.message}`).join('\n'));
    this.name = 'ContentErrors';
  }
}

export type FieldPath = readonly (string | number)[];

export interface YamlFile {
  file: string;
  data: unknown;
  /** 1-based line of the value at `path`, or of its nearest existing ancestor. */
  lineOf(path: FieldPath): number | null;
  /** A ContentError pointing at `path` in this file. */
  error(path: FieldPath, detail: string): ContentError;
}

/** Parses a YAML (or JSON, which is YAML) file, keeping positions for error messages. */
export function readYamlFile(file: string, text = readFileSync(file, 'utf8')): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    // With prettyErrors off, yaml leaves linePos unset; the offset is always there.
    const line = e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(e.pos[0]).line : null);
    throw new ContentError(file, line, '', `YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  const lineOf = (path: FieldPath): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && (node as YamlNode).range) {
        return lineCounter.linePos((node as YamlNode).range![0]).line;
      }
    }
    return null;
  };
  return {
    file,
    data: doc.toJS({ maxAliasCount: 100 }),
    lineOf,
    error: (path, detail) => new ContentError(file, lineOf(path), formatPath(path), detail),
  };
}

/** Validates a file's data with a zod schema; every issue becomes a located ContentError. */
export function parseWith<T>(source: YamlFile, schema: z.ZodType<T>): T {
  const result = schema.safeParse(source.data);
  if (result.success) return result.data;
  throw new ContentErrors(
    result.error.issues.map((issue) => source.error(issue.path as FieldPath, issue.message)),
  );
}

export function formatPath(path: FieldPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
