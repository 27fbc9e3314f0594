/** What a table column holds, judged by its header's name. */
import { normalizeHeading } from "./headings.js";

export type Column = "action" | "owner" | "due" | "priority" | "type" | "link" | "status";

const COLUMN_PATTERNS: [Column, RegExp][] = [
  [
    "owner",
    /^(?:owners?|assignees?|assigned(?: to)?|who|responsible|dri|lead|driver|point of contact|poc)$/,
  ],
  [
    "due",
    /^(?:due(?: date| by)?|target(?: date| complete| completion(?: date)?)?|deadline|eta|date|by when|when|complete by|expected)$/,
  ],
  ["priority", /^(?:priority|prio|p|urgency|importance)$/],
  ["type", /^(?:type|kind|category|class)$/],
  [
    "link",
    /^(?:issues?|bugs?|tickets?|links?|prs?|pull requests?|tracking(?: issue)?|jira|references?|refs?)$/,
  ],
  ["status", /^(?:status|state|done|complete|completed|progress)$/],
  [
    "action",
    /^(?:action(?: items?)?(?: description)?|actions|items?|description|tasks?|todo|to do|what|follow ?ups?|remediation|improvement)$/,
  ],
];

/**
 * More names, tried only for the kinds a table's headers left unnamed by the patterns above: a
 * table read before keeps the columns it was read with (its action texts are identity keys).
 */
const MORE_PATTERNS: [Column, RegExp][] = [
  [
    "owner",
    /^(?:owners? s|owning (?:team|person|group)|owner team|assignees? s|responsible (?:team|party|person)|accountable|team)$/,
  ],
  ["due", /^(?:by|expected by)$/],
  ["link", /^(?:jira (?:ticket|issue))$/],
];

/** Words that name a column on their own, for headers no pattern reads whole ("Issue/PR"). */
const COLUMN_WORDS: Record<string, Column> = {
  owner: "owner",
  owners: "owner",
  assignee: "owner",
  assignees: "owner",
  dri: "owner",
  who: "owner",
  responsible: "owner",
  due: "due",
  eta: "due",
  deadline: "due",
  target: "due",
  when: "due",
  status: "status",
  state: "status",
  issue: "link",
  issues: "link",
  ticket: "link",
  tickets: "link",
  jira: "link",
  pr: "link",
  bug: "link",
  link: "link",
  reference: "link",
  priority: "priority",
  type: "type",
  action: "action",
  actions: "action",
  task: "action",
  item: "action",
  description: "action",
};

/** What a header names by the first patterns alone. */
export function classifyColumn(header: string): Column | null {
  const normalized = normalizeHeading(header);
  for (const [column, pattern] of COLUMN_PATTERNS) if (pattern.test(normalized)) return column;
  return null;
}

/**
 * What a header names by the further patterns, else by its last word that names a column (the
 * head noun: "Action owner" is an owner, "Owner / DRI" too, "Target date (ETA)" a due date).
 */
function classifyLoosely(header: string): Column | null {
  const normalized = normalizeHeading(header);
  for (const [column, pattern] of MORE_PATTERNS) if (pattern.test(normalized)) return column;
  const words = normalized.split(" ");
  for (let i = words.length - 1; i >= 0; i--) {
    const column = COLUMN_WORDS[words[i] ?? ""];
    if (column) return column;
  }
  return null;
}

/** Column index per kind; the first column of a kind wins. */
export type ColumnMap = Partial<Record<Column, number>>;

export function mapColumns(headers: string[]): ColumnMap {
  const map: ColumnMap = {};
  const named = new Set<number>();
  headers.forEach((header, index) => {
    const column = classifyColumn(header);
    if (column) named.add(index);
    if (column && map[column] === undefined) map[column] = index;
  });
  // Then the looser names, only for kinds still unmapped and columns not named already.
  headers.forEach((header, index) => {
    if (named.has(index)) return;
    const column = classifyLoosely(header);
    if (column && map[column] === undefined) map[column] = index;
  });
  return map;
}

/**
 * Whether a table is a table of actions. Under an action heading an action column is enough;
 * elsewhere it also needs an owner, due, status or link column, and a header that says "action"
 * or "task" (so a timeline's "Description" column does not qualify).
 */
export function isActionTable(headers: string[], underActionHeading: boolean): boolean {
  const map = mapColumns(headers);
  if (map.action === undefined) return false;
  if (underActionHeading) return true;
  const actionHeader = normalizeHeading(headers[map.action] ?? "");
  const saysAction = /action|task|follow ?up|todo/.test(actionHeader);
  const hasTrackingColumn =
    map.owner !== undefined ||
    map.due !== undefined ||
    map.status !== undefined ||
    map.link !== undefined;
  return saysAction && hasTrackingColumn;
}
