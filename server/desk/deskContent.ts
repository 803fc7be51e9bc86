/**
 * The desk's content, as data beside the bot's (dialogs/data/): the notices
 * the service shows in the user's chat around agents (desk.yaml), and the
 * canned replies agents use (canned.yaml). Validated once at start-up with
 * zod; a problem names its file, line and field.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ContentErrors, parseWith, readYamlFile, type ContentError } from '../content/yamlFile.js';
import { DEFAULT_DIALOGS_DIR } from '../dialog/content.js';
import { textSchema, type LocalText } from '../dialog/schema.js';
import { unknownTemplates } from '../dialog/templates.js';

export const DESK_PHRASES = ['agentJoined', 'agentAway', 'transferred', 'closed', 'handedBack', 'queueLeft', 'userLeft'] as const;
export type DeskPhrase = (typeof DESK_PHRASES)[number];

const deskFileSchema = z.strictObject({
  phrases: z.strictObject(Object.fromEntries(DESK_PHRASES.map((k) => [k, textSchema])) as Record<DeskPhrase, typeof textSchema>),
});

const cannedFileSchema = z.strictObject({
  replies: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower_snake_case'), title: textSchema, text: textSchema }))
    .min(1),
});

export interface DeskContent {
  phrases: Record<DeskPhrase, LocalText>;
  canned: { id: string; title: LocalText; text: LocalText }[];
}

/** Placeholders only the desk fills. */
const DESK_TEMPLATES = new Set(['agentName']);

/** Reads and checks desk.yaml and canned.yaml; throws ContentErrors listing every problem. */
export function loadDeskContent(dir = DEFAULT_DIALOGS_DIR): DeskContent {
  const problems: ContentError[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>): T | null => {
    const file = join(dir, 'data', name);
    try {
      const source = readYamlFile(file);
      const value = parseWith(source, schema);
      // Every placeholder must be one the bot's templates or the desk fill.
      const visit = (v: unknown, path: (string | number)[]) => {
        if (typeof v === 'string') {
          for (const n of unknownTemplates(v)) if (!DESK_TEMPLATES.has(n)) problems.push(source.error(path, `unknown placeholder {${n}}`));
        } else if (v && typeof v === 'object') {
          for (const [k, x] of Object.entries(v)) visit(x, [...path, Array.isArray(v) ? Number(k) : k]);
        }
      };
      visit(value, []);
      return value;
    } catch (e) {
      if (e instanceof ContentErrors) problems.push(...e.problems);
      else throw e;
      return null;
    }
  };
  const desk = read('desk.yaml', deskFileSchema);
  const canned = read('canned.yaml', cannedFileSchema);
  if (canned) {
    const seen = new Set<string>();
    for (const r of canned.replies) {
      if (seen.has(r.id)) problems.push(readYamlFile(join(dir, 'data', 'canned.yaml')).error(['replies'], `canned reply id "${r.id}" is used twice`));
      seen.add(r.id);
    }
  }
  if (problems.length > 0 || !desk || !canned) throw new ContentErrors(problems);
  return { phrases: desk.phrases, canned: canned.replies };
}
