/**
 * Report ranges and buckets in China time (Asia/Shanghai, UTC+8 all year:
 * no daylight saving), so a day in a report is the operator's calendar day.
 */
import { z } from 'zod';
import { ProtocolFailure } from '../core/errors.js';

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** The longest range one request may ask for. */
export const MAX_RANGE_DAYS = 366;

export interface ReportRange {
  from: string;
  to: string;
  /** The first instant of `from` and the instant after `to`'s last, China time. */
  start: Date;
  end: Date;
  bucket: 'day' | 'hour';
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const rangeQuery = z.object({ from: day, to: day, by: z.enum(['day', 'hour']).optional() });

function realDay(text: string): Date | null {
  const d = new Date(`${text}T00:00:00+08:00`);
  if (Number.isNaN(d.getTime())) return null;
  return bucketOf(d.toISOString(), 'day') === text ? d : null;
}

/** Parses `?from&to[&by]`; a missing, malformed or impossible date, or a reversed or too long range, is `INVALID_PAYLOAD` (400). */
export function parseRange(query: unknown): ReportRange {
  const r = rangeQuery.safeParse(query);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ProtocolFailure('INVALID_PAYLOAD', `"${issue?.path.join('.') ?? 'from'}": ${issue?.message ?? 'invalid'}`);
  }
  const start = realDay(r.data.from);
  const last = realDay(r.data.to);
  if (!start) throw new ProtocolFailure('INVALID_PAYLOAD', `"from": no such day ${r.data.from}`);
  if (!last) throw new ProtocolFailure('INVALID_PAYLOAD', `"to": no such day ${r.data.to}`);
  if (last < start) throw new ProtocolFailure('INVALID_PAYLOAD', '"to" is before "from"');
  const end = new Date(last.getTime() + DAY_MS);
  if ((end.getTime() - start.getTime()) / DAY_MS > MAX_RANGE_DAYS) throw new ProtocolFailure('INVALID_PAYLOAD', `at most ${MAX_RANGE_DAYS} days at a time`);
  return { from: r.data.from, to: r.data.to, start, end, bucket: r.data.by ?? 'day' };
}

/** The China-time day ("2026-12-03") or hour ("2026-12-03 14:00") an ISO instant falls in. */
export function bucketOf(iso: string, bucket: 'day' | 'hour'): string {
  const local = new Date(new Date(iso).getTime() + OFFSET_MS).toISOString();
  return bucket === 'day' ? local.slice(0, 10) : `${local.slice(0, 10)} ${local.slice(11, 13)}:00`;
}

/** Every bucket of the range, in order, so a chart has a point for a quiet day too. */
export function bucketsOf(r: ReportRange): string[] {
  const step = r.bucket === 'day' ? DAY_MS : 3_600_000;
  const out: string[] = [];
  for (let t = r.start.getTime(); t < r.end.getTime(); t += step) out.push(bucketOf(new Date(t).toISOString(), r.bucket));
  return out;
}
