/**
 * What the widget remembers per kefu server: the session id and the
 * conversation's language in localStorage, so a reload or a later visit
 * resumes the same conversation in its language; whether the panel was open
 * in sessionStorage, so a reload in the same tab keeps it open (a new tab
 * starts closed). Storage can be disabled (private mode, sandboxed iframes):
 * then the values live as long as the page.
 */
export interface StoredValue<T extends string = string> {
  get(): T | undefined;
  set(value: T): void;
  clear(): void;
}

/** The session id store the connection uses. */
export type SessionIdStore = StoredValue;

/** Key under which the session id for `serverOrigin` is kept. */
export function sessionKey(serverOrigin: string): string {
  return `kefu:session:${serverOrigin}`;
}

/** One string under `key`, falling back to memory when storage throws. */
export function storedValue<T extends string>(key: string, storage: () => Storage, accept: (v: string) => v is T): StoredValue<T> {
  let memory: T | undefined;
  return {
    get() {
      try {
        const value = storage().getItem(key);
        return value !== null && accept(value) ? value : undefined;
      } catch {
        return memory;
      }
    },
    set(value) {
      memory = value;
      try {
        storage().setItem(key, value);
      } catch {
        /* storage unavailable: keep the value for this page only */
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

const anyString = (v: string): v is string => v !== '';

export function localSessionStore(serverOrigin: string, storage: () => Storage = () => window.localStorage): SessionIdStore {
  return storedValue(sessionKey(serverOrigin), storage, anyString);
}

/** The language of the stored session's conversation (the chrome starts in it on a reload). */
export function localLocaleStore(serverOrigin: string, storage: () => Storage = () => window.localStorage): StoredValue<'zh-CN' | 'en'> {
  return storedValue(`kefu:locale:${serverOrigin}`, storage, (v): v is 'zh-CN' | 'en' => v === 'zh-CN' || v === 'en');
}

/** Whether the panel is open, for this tab only. */
export function tabOpenStore(serverOrigin: string, storage: () => Storage = () => window.sessionStorage): StoredValue<'open' | 'closed'> {
  return storedValue(`kefu:panel:${serverOrigin}`, storage, (v): v is 'open' | 'closed' => v === 'open' || v === 'closed');
}
