/**
 * How a tracking issue's view is stored in its marker: one short tuple per action, so that even a
 * post-mortem with hundreds of actions keeps every action's issue and state (texts are what gets
 * dropped when room runs out). Markers written before this format (objects per action) still read.
 */
import { hashText } from "../postmortem/identity.js";
import type { TrackedAction, TrackingView } from "./model.js";

/**
 * `[keyHash, issue number (0: none), state, created (s), closed (s), assignees, due, flags, text,
 * owners, link]`; trailing empty elements are left out, and an action without `text` is unlisted.
 */
type Entry = [
  string,
  number,
  string,
  number,
  number,
  string[],
  string,
  number,
  string?,
  string[]?,
  string?,
];

export type StoredView = Omit<TrackingView, "actions"> & { a: Entry[] };

const DONE = 1;
const GENERATED = 2;
const DELETED = 4;
const TRANSFERRED = 8;

/** State and reason in one or two letters; an unknown reason is kept as `state:reason`. */
const STATES: Record<string, ["open" | "closed", string | null]> = {
  o: ["open", null],
  r: ["open", "reopened"],
  c: ["closed", "completed"],
  n: ["closed", "not_planned"],
  d: ["closed", "duplicate"],
  x: ["closed", null],
};

function stateCode(state: "open" | "closed", reason: string | null): string {
  for (const [code, [s, r]] of Object.entries(STATES)) if (s === state && r === reason) return code;
  return `${state}:${reason}`;
}

function stateOf(code: string): { state: "open" | "closed"; stateReason: string | null } {
  const known = STATES[code];
  if (known) return { state: known[0], stateReason: known[1] };
  const [state, reason] = code.split(":");
  return { state: state === "closed" ? "closed" : "open", stateReason: reason || null };
}

/** A timestamp as the marker keeps it: whole seconds, 0 for none. */
export const seconds = (iso: string | null): number =>
  iso ? Math.floor(Date.parse(iso) / 1000) : 0;
const isoOf = (s: number): string => new Date(s * 1000).toISOString().replace(".000Z", "Z");

export function keyHashOf(action: Pick<TrackedAction, "key" | "keyHash">): string {
  return action.keyHash ?? hashText(action.key);
}

function pack(action: TrackedAction): Entry {
  const issue = action.issue;
  const flags =
    (action.done ? DONE : 0) |
    (action.generated ? GENERATED : 0) |
    (action.gone === "deleted" ? DELETED : 0) |
    (action.gone === "transferred" ? TRANSFERRED : 0);
  const entry: unknown[] = [
    keyHashOf(action),
    issue?.number ?? 0,
    issue ? stateCode(issue.state, issue.stateReason) : "",
    seconds(issue?.createdAt ?? null),
    seconds(issue?.closedAt ?? null),
    issue?.assignees ?? [],
    action.due ?? "",
    flags,
    action.unlisted ? undefined : action.text,
    action.unlisted ? undefined : action.owners,
    action.link ?? undefined,
  ];
  // Trailing elements that say nothing are left out.
  while (entry.length > 8) {
    const last = entry[entry.length - 1];
    if (last === undefined || (Array.isArray(last) && last.length === 0)) entry.pop();
    else break;
  }
  return entry.map((value) => (value === undefined ? 0 : value)) as Entry;
}

function unpack(entry: Entry): TrackedAction {
  const [keyHash, number, state, created, closed, assignees, due, flags, text, owners, link] =
    entry;
  const listed = typeof text === "string";
  return {
    key: "",
    keyHash,
    text: listed ? text : "",
    owners: Array.isArray(owners) ? owners : [],
    due: due || null,
    done: (flags & DONE) !== 0,
    link: typeof link === "string" && link ? link : null,
    generated: (flags & GENERATED) !== 0,
    line: 0,
    ...(listed ? {} : { unlisted: true }),
    ...(flags & DELETED ? { gone: "deleted" as const } : {}),
    ...(flags & TRANSFERRED ? { gone: "transferred" as const } : {}),
    issue: number
      ? {
          number,
          ...stateOf(state),
          assignees,
          createdAt: isoOf(created),
          closedAt: closed ? isoOf(closed) : null,
        }
      : null,
  };
}

export function packView(view: TrackingView): StoredView {
  const { actions, ...rest } = view;
  return { ...rest, a: actions.map(pack) };
}

/** The view back from a marker: the compact form, or the older one with an object per action. */
export function unpackView(stored: unknown): TrackingView {
  const data = stored as Partial<StoredView> & { actions?: TrackedAction[] };
  if (!Array.isArray(data.a)) return { ...(data as TrackingView), actions: data.actions ?? [] };
  const { a, ...rest } = data as StoredView;
  return { ...rest, actions: a.filter(Array.isArray).map(unpack) };
}
