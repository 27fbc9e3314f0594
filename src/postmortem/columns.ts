/** What a table column holds, judged by its header's name. */
import { normalizeHeading } from "./headings.js";

export type Column = "action" | "owner" | "due" | "priority" | "type" | "link" | "status";

const COLUMN_PATTERNS: [Column, RegExp][] = [
  [
    "owner",
    /^(?:owners?(?: s)?|owning (?:team|person|group)|owner team|assignees?(?: s)?|assigned(?: to)?|who|responsible(?: team| party| person)?|accountable|dri|lead|driver|point of contact|poc|team)$/,
  ],
  [
    "due",
    /^(?:due(?: date| by)?|target(?: date| complete| completion(?: date)?)?|deadline|eta|date|by|by when|when|complete by|expected|expected by)$/,
  ],
  ["priority", /^(?:priority|prio|p|urgency|importance)$/],
  ["type", /^(?:type|kind|category|class)$/],
  [
    "link",
    /^(?:issues?|bugs?|tickets?|links?|prs?|pull requests?|tracking(?: issue)?|jira(?: ticket| issue)?|references?|refs?)$/,
  ],
  ["status", /^(?:status|state|done|complete|completed|progress)$/],
  [
    "action",
    /^(?:action(?: items?)?(?: description)?|actions|items?|description|tasks?|todo|to do|what|follow ?ups?|remediation|improvement)$/,
  ],
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

export function classifyColumn(header: string): Column | null {
  const normalized = normalizeHeading(header);
  for (const [column, pattern] of COLUMN_PATTERNS) if (pattern.test(normalized)) return column;
  // The last word that names a column is the header's head noun: "Action owner" is an owner,
  // "Owner / DRI" too, "Target date (ETA)" a due date.
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
  headers.forEach((header, index) => {
    const column = classifyColumn(header);
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
