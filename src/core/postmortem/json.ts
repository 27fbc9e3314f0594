/**
 * The public JSON shape of a parsed post-mortem (`follow-through parse --json`). This is a public
 * interface: scripts depend on it. Add keys only at the end of an object; never rename, remove or
 * reorder them, and never let internal model fields leak in.
 *
 * ```
 * {
 *   path:           string          the file as given
 *   title:          string
 *   date:           string | null   incident date, YYYY-MM-DD
 *   authors:        string[]        as written
 *   severity:       string | null
 *   status:         string | null
 *   rootCause:      string | null
 *   rootCauseState: "present" | "missing" | "tbd"
 *   actions: [{
 *     text:      string            as written (inline markdown kept)
 *     owners:    string[]          as written
 *     assignees: string[]          GitHub logins, without "@"
 *     teams:     string[]          "@org/team"
 *     due:       string | null     YYYY-MM-DD
 *     dueRaw:    string | null     the due date as written
 *     done:      boolean
 *     link:      string | null     "#123" or a URL
 *     type:      string | null
 *     priority:  string | null
 *     category:  string | null     sub-heading inside the action section
 *     line:      number            1-based
 *     generated: boolean           true for the "find the root cause" action
 *     inferred:  "prose" | "heading" | "marker" | "section" | null
 *                                   how an action not written as a list item or table row was
 *                                   found: a sentence, a sub-heading, an inline marker ("TODO:"),
 *                                   or a section such as "Mitigation" read for want of another
 *   }]
 *   findings: [{
 *     level:   "error" | "warning" | "notice"
 *     rule:    string              stable rule id
 *     message: string
 *     line:    number | null       null: about the whole document
 *   }]
 *   dateSource:     "front-matter" | "document" | "title" | "path" | "timeline" | "fallback" | null
 *                                   where `date` came from: the front matter; the document's
 *                                   key lines, summary or opening paragraphs; the title; the file
 *                                   name; the timeline's first full date; or "fallback", the
 *                                   commit (CLI: the file's last commit or modification) date,
 *                                   assumed because the document gives none (null: no date)
 * }
 * ```
 */
import type { Action, Finding, FindingLevel, Postmortem, RootCauseState } from "./model.js";

export interface PublicAction {
  text: string;
  owners: string[];
  assignees: string[];
  teams: string[];
  due: string | null;
  dueRaw: string | null;
  done: boolean;
  link: string | null;
  type: string | null;
  priority: string | null;
  category: string | null;
  line: number;
  generated: boolean;
  inferred: NonNullable<Action["inferred"]> | null;
}

export interface PublicFinding {
  level: FindingLevel;
  rule: string;
  message: string;
  line: number | null;
}

export interface PublicPostmortem {
  path: string;
  title: string;
  date: string | null;
  authors: string[];
  severity: string | null;
  status: string | null;
  rootCause: string | null;
  rootCauseState: RootCauseState;
  actions: PublicAction[];
  findings: PublicFinding[];
  dateSource: Postmortem["dateSource"];
}

/** Copies field by field, in the documented order, so the output never depends on the model's shape. */
export function toPublicJson(pm: Postmortem): PublicPostmortem {
  return {
    path: pm.path,
    title: pm.title,
    date: pm.date,
    authors: [...pm.authors],
    severity: pm.severity,
    status: pm.status,
    rootCause: pm.rootCause,
    rootCauseState: pm.rootCauseState,
    actions: pm.actions.map(publicAction),
    findings: pm.findings.map(publicFinding),
    dateSource: pm.dateSource,
  };
}

function publicAction(action: Action): PublicAction {
  return {
    text: action.text,
    owners: [...action.owners],
    assignees: [...action.assignees],
    teams: [...action.teams],
    due: action.due,
    dueRaw: action.dueRaw,
    done: action.done,
    link: action.link,
    type: action.type,
    priority: action.priority,
    category: action.category,
    line: action.line,
    generated: action.generated,
    inferred: action.inferred ?? null,
  };
}

function publicFinding(finding: Finding): PublicFinding {
  return {
    level: finding.level,
    rule: finding.rule,
    message: finding.message,
    line: finding.line,
  };
}
