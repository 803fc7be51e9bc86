/**
 * Group commit: work items arriving in the same event-loop turn are written
 * in one transaction. Under load this writes shared index pages once per
 * batch instead of once per message; every promise still settles only after
 * COMMIT, so an ack never precedes its data. When the batch fails, it is
 * redone with a savepoint per item, so that one bad item (a reused client id,
 * a stale session) fails alone.
 */

interface Pending<I, R> {
  item: I;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitter<I, R> {
  submit(item: I): Promise<R>;
  /** Writes what is pending now (shutdown). */
  flush(): void;
}

/**
 * `writeAll(items)` runs every item in one transaction and returns their
 * results; `writeEach(items)` runs them in one transaction with a savepoint
 * each, returning a result or an error per item; it throws only when the
 * transaction itself cannot commit.
 */
export function groupCommitter<I, R>(o: {
  writeAll(items: I[]): R[];
  writeEach(items: I[]): ({ ok: true; value: R } | { ok: false; error: unknown })[];
  /** Called before each batch; a throw fails the whole batch (the store is unusable). */
  check?(): void;
}): GroupCommitter<I, R> {
  let pending: Pending<I, R>[] = [];
  const flush = () => {
    const batch = pending;
    if (batch.length === 0) return;
    pending = [];
    const items = batch.map((p) => p.item);
    try {
      o.check?.();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    let results: R[];
    try {
      results = o.writeAll(items);
    } catch {
      let each: ReturnType<typeof o.writeEach>;
      try {
        each = o.writeEach(items);
      } catch (e) {
        for (const p of batch) p.reject(e);
        return;
      }
      each.forEach((r, i) => (r.ok ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.error)));
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  };
  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        if (pending.push({ item, resolve, reject }) === 1) setImmediate(flush);
      });
    },
    flush,
  };
}
