// The signed-in session: a bearer token kept in sessionStorage (or localStorage when the user
// asks to stay signed in), observable so that the UI reacts when it appears or ends.
import { useSyncExternalStore } from "react";

interface StoredSession {
  token: string;
  expiresAt: number; // epoch milliseconds
}

export type SignOutReason = "signed_out" | "expired";

const KEY = "concord.session";
const listeners = new Set<() => void>();
let current: StoredSession | null = null;
let lastSignOutReason: SignOutReason | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function parse(raw: string | null): StoredSession | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.token === "string" && typeof value.expiresAt === "number") {
      return { token: value.token, expiresAt: value.expiresAt };
    }
  } catch {
    // A damaged entry is treated as no session.
  }
  return null;
}

function stores(): Storage[] {
  const found: Storage[] = [];
  try {
    found.push(window.sessionStorage, window.localStorage);
  } catch {
    // Storage can be disabled (private modes, sandboxed frames): the session then lives in memory.
  }
  return found;
}

function load(): StoredSession | null {
  for (const store of stores()) {
    const session = parse(store.getItem(KEY));
    if (session && session.expiresAt > Date.now()) return session;
    if (session) store.removeItem(KEY);
  }
  return null;
}

function notify(): void {
  for (const listener of listeners) listener();
}

function schedule(): void {
  clearTimeout(expiryTimer);
  if (!current) return;
  // setTimeout overflows beyond ~24.8 days; tokens live hours, but stay safe.
  const delay = Math.min(current.expiresAt - Date.now(), 2_000_000_000);
  expiryTimer = setTimeout(() => signOut("expired"), Math.max(delay, 0));
}

current = load();
schedule();

if (typeof window !== "undefined") {
  // Signing out in one tab signs out the others that share localStorage.
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    const next = load();
    if (next?.token !== current?.token) {
      current = next;
      schedule();
      notify();
    }
  });
}

export function getToken(): string | null {
  if (current && current.expiresAt <= Date.now()) {
    signOut("expired");
  }
  return current?.token ?? null;
}

export function signIn(token: string, expiresInSeconds: number, remember: boolean): void {
  current = { token, expiresAt: Date.now() + expiresInSeconds * 1000 };
  lastSignOutReason = null;
  const [session, local] = stores();
  const keep = remember ? local : session;
  for (const store of stores()) store.removeItem(KEY);
  keep?.setItem(KEY, JSON.stringify(current));
  schedule();
  notify();
}

export function signOut(reason: SignOutReason = "signed_out"): void {
  if (!current) return;
  current = null;
  lastSignOutReason = reason;
  for (const store of stores()) store.removeItem(KEY);
  schedule();
  notify();
}

/** Why the last session ended (to tell the user on the sign-in page); cleared by signIn. */
export function signOutReason(): SignOutReason | null {
  return lastSignOutReason;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current bearer token, or null; re-renders when the user signs in or out. */
export function useAuthToken(): string | null {
  return useSyncExternalStore(subscribe, () => current?.token ?? null);
}
