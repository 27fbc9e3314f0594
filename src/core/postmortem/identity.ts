/**
 * Action identity: the key each action's issue is found by, stored in GitHub for as long as the
 * issue lives. test/identity-keys.test.ts pins the keys of every fixture and corpus action, so a
 * change here (or in how the parser reads action text) cannot silently re-key synced issues.
 */
import { actionKey } from "./actions.js";

/** Longest action key kept whole; a longer one keeps its start plus a hash of the rest. */
export const KEY_LIMIT = 200;

/** An action key short enough for the marker (and the same when bounded again). */
export function boundKey(key: string): string {
  if (key.length <= KEY_LIMIT) return key;
  const cut = /[\ud800-\udbff]/.test(key[179] ?? "") ? 179 : 180;
  return `${key.slice(0, cut)}…${hashText(key)}`;
}

/** A short, stable hash (FNV-1a) for comparing rendered bodies without storing them. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** One key per action, in order: its normalized text (the key text when it has one), `#2`, `#3`… for repeats of the same text. */
export function identityKeys(actions: readonly { text: string; keyText?: string }[]): string[] {
  const seen = new Map<string, number>();
  return actions.map((action, index) => {
    const base = actionKey(action.keyText ?? action.text) || `action-${index + 1}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return boundKey(count === 1 ? base : `${base} #${count}`);
  });
}
