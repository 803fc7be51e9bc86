/**
 * Reading dialogs/ into one validated, read-only structure: every dialog file
 * (dialogs/*.yaml) and the reference data (dialogs/data/*.yaml). Schema
 * problems are collected, not thrown one at a time; cross-checks live in
 * check.ts.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { ContentError, ContentErrors, parseWith, readYamlFile, type YamlFile } from '../content/yamlFile.js';
import {
  dialogFileSchema,
  findDeviceSchema,
  selfServiceSchema,
  hotlinesSchema,
  safetySchema,
  systemSchema,
  warrantySchema,
  type DialogFile,
  type FindDevice,
  type SelfService,
  type Hotlines,
  type Safety,
  type SystemContent,
  type Warranty,
} from './schema.js';

/** The repository's dialogs/ directory. */
export const DEFAULT_DIALOGS_DIR = fileURLToPath(new URL('../../dialogs', import.meta.url));

export interface LoadedDialog {
  def: DialogFile;
  source: YamlFile;
}

export interface DialogData {
  hotlines: Hotlines;
  warranty: Warranty;
  findDevice: FindDevice;
  selfService: SelfService;
  system: SystemContent;
  safety: Safety;
}

export interface DialogContent extends DialogData {
  /** The directory read, for problems that belong to no single file. */
  dir: string;
  dialogs: ReadonlyMap<string, LoadedDialog>;
  /** Intent id → the dialog it starts. */
  byIntent: ReadonlyMap<string, LoadedDialog>;
  /** Hash of every file read, part of the session's content version. */
  hash: string;
  /** Where each data file came from, for cross-check errors. */
  dataSources: Readonly<Record<keyof DialogData, YamlFile>>;
}

const DATA_FILES = {
  hotlines: ['hotlines.yaml', hotlinesSchema],
  warranty: ['warranty.yaml', warrantySchema],
  findDevice: ['find-device.yaml', findDeviceSchema],
  selfService: ['self-service.yaml', selfServiceSchema],
  system: ['system.yaml', systemSchema],
  safety: ['safety.yaml', safetySchema],
} as const satisfies Record<keyof DialogData, readonly [string, z.ZodType]>;

/** Reads and schema-validates everything; returns all problems found instead of throwing. */
export function readDialogContent(dir = DEFAULT_DIALOGS_DIR): { content: DialogContent | null; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const hash = createHash('sha256');
  const read = <T>(file: string, schema: z.ZodType<T>): { value: T; source: YamlFile } | null => {
    try {
      const text = readFileSync(file, 'utf8');
      hash.update(`${basename(file)}\0${text}\0`);
      const source = readYamlFile(file, text);
      return { value: parseWith(source, schema), source };
    } catch (e) {
      if (e instanceof ContentErrors) errors.push(...e.problems);
      else if (e instanceof ContentError) errors.push(e);
      else errors.push(new ContentError(file, null, '', e instanceof Error ? e.message : String(e)));
      return null;
    }
  };

  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (e) {
    return { content: null, errors: [new ContentError(dir, null, '', `cannot read dialogs directory: ${(e as Error).message}`)] };
  }

  const dialogs = new Map<string, LoadedDialog>();
  const byIntent = new Map<string, LoadedDialog>();
  for (const f of files) {
    const r = read(join(dir, f), dialogFileSchema);
    if (!r) continue;
    const loaded = { def: r.value, source: r.source };
    const expectedId = f.replace(/\.ya?ml$/, '').replace(/-/g, '_');
    if (r.value.id !== expectedId) {
      errors.push(r.source.error(['id'], `id "${r.value.id}" must match the file name ("${expectedId}")`));
    }
    if (dialogs.has(r.value.id)) {
      errors.push(r.source.error(['id'], `dialog id "${r.value.id}" is used twice`));
      continue;
    }
    dialogs.set(r.value.id, loaded);
    r.value.intents.forEach((intent, i) => {
      const other = byIntent.get(intent);
      if (other) errors.push(r.source.error(['intents', i], `intent "${intent}" already starts dialog "${other.def.id}"`));
      else byIntent.set(intent, loaded);
    });
  }

  const data: Partial<DialogData> = {};
  const dataSources: Partial<Record<keyof DialogData, YamlFile>> = {};
  for (const key of Object.keys(DATA_FILES) as (keyof DialogData)[]) {
    const [name, schema] = DATA_FILES[key];
    const r = read(join(dir, 'data', name), schema as z.ZodType<DialogData[typeof key]>);
    if (r) {
      (data as Record<string, unknown>)[key] = r.value;
      dataSources[key] = r.source;
    }
  }
  if (errors.length > 0 || !data.hotlines || !data.warranty || !data.findDevice || !data.selfService || !data.system || !data.safety) {
    return { content: null, errors };
  }
  return {
    content: {
      dir,
      hotlines: data.hotlines,
      warranty: data.warranty,
      findDevice: data.findDevice,
      selfService: data.selfService,
      system: data.system,
      safety: data.safety,
      dialogs,
      byIntent,
      hash: hash.digest('hex').slice(0, 16),
      dataSources: dataSources as Record<keyof DialogData, YamlFile>,
    },
    errors,
  };
}
