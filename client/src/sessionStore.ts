/**
 * Remembers the session id per kefu server in localStorage, so a reload or a
 * later visit resumes the same conversation. Storage can be disabled (private
 * mode, sandboxed iframes): then the widget simply starts fresh each time.
 */
export interface SessionIdStore {
  get(): string | undefined;
  set(id: string): void;
  clear(): void;
}

/** Key under which the session id for `serverOrigin` is kept. */
export function sessionKey(serverOrigin: string): string {
  return `kefu:session:${serverOrigin}`;
}

export function localSessionStore(serverOrigin: string, storage: () => Storage = () => window.localStorage): SessionIdStore {
  const key = sessionKey(serverOrigin);
  let memory: string | undefined;
  return {
    get() {
      try {
        return storage().getItem(key) ?? undefined;
      } catch {
        return memory;
      }
    },
    set(id) {
      memory = id;
      try {
        storage().setItem(key, id);
      } catch {
        /* storage unavailable: keep the id for this page only */
      }
    },
    clear() {
      memory = undefined;
      try {
        storage().removeItem(key);
      } catch {
        /* nothing stored */
      }
    },
  };
}
