/** An action as read, resolved: owners to logins, due dates to days, with the findings they raise. */
import type { Config } from "../config.js";
import { actionKey, type RawAction } from "./actions.js";
import { isNoDate, parseDueDate } from "./dates.js";
import { type Findings, RULES } from "./findings.js";
import { foldSpace, INLINE_LINK } from "./markdown.js";
import type { Action } from "./model.js";
import { resolveOwners } from "./owners.js";

interface ResolveContext {
  /** What dates without a year count from. */
  date: string | null;
  /** The incident date the document gives, for `date-before-incident` (null when assumed). */
  incident: string | null;
  people: Config["people"];
  findings: Findings;
}

/**
 * Owner findings are reported at every open action they concern, so each action that will open
 * without an assignee shows at its own line.
 */
export function resolveAction(
  raw: RawAction,
  { date, incident, people, findings }: ResolveContext,
): Action {
  const owners = resolveOwners(raw.owners, people);
  // `@here` and the like are reported below and are nobody's name: not owners.
  const written = raw.owners.filter((owner) => !owners.broadcasts.includes(owner));
  const open = !raw.done;
  const label = quoteAction(raw.text);
  if (open && written.length === 0) {
    findings.warning(RULES.actionNoOwner, `${label} has no owner`, raw.line);
  }
  for (const name of open ? owners.unmapped : []) {
    findings.warning(
      RULES.ownerNotMapped,
      `owner "${name}" is not a GitHub login: map it under people: in .github/follow-through.yml (or write @login)`,
      raw.line,
    );
  }
  for (const team of open ? owners.teams : []) {
    findings.notice(
      RULES.teamOwner,
      `${team} is a team: teams cannot be assigned to issues, so it is named in the issue instead`,
      raw.line,
    );
  }
  for (const team of open ? owners.namedTeams : []) {
    // Nobody to assign at all is worth a warning; beside an assignee, the team is only named.
    findings.add(
      owners.assignees.length === 0 ? "warning" : "notice",
      RULES.teamOwner,
      `owner "${team}" is a team, and teams cannot be assigned to issues: name a person, or map "${team}" to logins under people: in .github/follow-through.yml`,
      raw.line,
    );
  }
  for (const mention of owners.broadcasts) {
    findings.warning(
      RULES.broadcastMention,
      `${mention} is not an owner: name a person or team`,
      raw.line,
    );
  }
  if (raw.inferred) {
    findings.notice(RULES.actionInferred, `${label} ${INFERRED[raw.inferred]}`, raw.line);
  }
  if (raw.doneByPastTense) {
    findings.notice(
      RULES.doneByPastTense,
      `${label} is counted as done because it is written in the past tense`,
      raw.line,
    );
  }
  const due = resolveDue(raw, { date, incident }, findings, label);
  if (open && raw.dueRaw === null)
    findings.warning(RULES.actionNoDue, `${label} has no target date`, raw.line);
  return {
    text: raw.text,
    details: raw.details,
    owners: written,
    assignees: owners.assignees,
    teams: owners.teams,
    due,
    dueRaw: raw.dueRaw,
    done: raw.done,
    link: raw.link,
    type: raw.type,
    priority: raw.priority,
    category: raw.category,
    line: raw.line,
    generated: false,
    ...(raw.keyText !== undefined ? { keyText: raw.keyText } : {}),
    ...(raw.inferred !== undefined ? { inferred: raw.inferred } : {}),
  };
}

/** What each way of inferring an action tells the author, so the preview shows what was guessed. */
const INFERRED = {
  prose:
    "is read from a sentence in the action section: make it a list item if that is right, or reword it if it is not an action",
  heading: "is read from a sub-heading with prose under it: the heading is the action's text",
  marker: "is read from an inline marker outside the action section",
  section:
    'is read from a section the document seems to use for its follow-ups, as it has no action section: name it "Action Items" if that is right',
} as const;

function resolveDue(
  raw: RawAction,
  { date, incident }: Pick<ResolveContext, "date" | "incident">,
  findings: Findings,
  label: string,
): string | null {
  if (raw.dueRaw === null || isNoDate(raw.dueRaw)) return null;
  const result = parseDueDate(raw.dueRaw, date);
  if (!result.ok) {
    if (result.reason === "ambiguous")
      findings.error(RULES.dateAmbiguous, result.message, raw.line);
    else findings.warning(RULES.dateUnparseable, `${label}: ${result.message}`, raw.line);
    return null;
  }
  if (incident !== null && result.date < incident && !raw.done) {
    findings.warning(
      RULES.dateBeforeIncident,
      `${label} is due ${result.date}, before the incident (${incident})`,
      raw.line,
    );
  }
  return result.date;
}

/** Enough of the text for the quote, so the markdown scan stays short whatever the action's length. */
const QUOTE_SCAN = 400;

function quoteAction(text: string): string {
  const plain = foldSpace(plainInline(text.slice(0, QUOTE_SCAN)));
  return `action "${plain.length > 60 ? `${plain.slice(0, 57)}…` : plain}"`;
}

/**
 * Inline markdown as read: links keep their label, code spans their content, paired emphasis
 * markers and backslash escapes go. A lone `*` or `_` (`homebrew/cask*`, `FLUTTER_PREBUILT`) stays.
 */
export function plainInline(markdown: string): string {
  return markdown
    .replace(INLINE_LINK, "$1")
    .split(/(`+)([^`]+?)\1/)
    .map((part, index) => {
      // split with two groups: [text, fence, code, text, fence, code, …]
      if (index % 3 === 1) return "";
      if (index % 3 === 2) return part;
      return part
        .replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, "$2")
        .replace(/(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])/g, "$1")
        .replace(/(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)/g, "$1")
        .replace(/\\([!-/:-@[-`{-~])/g, "$1");
    })
    .join("");
}

export function reportDuplicates(actions: Action[], findings: Findings): void {
  const seen = new Map<string, number>();
  for (const action of actions) {
    const key = actionKey(action.text);
    const first = seen.get(key);
    if (first !== undefined) {
      findings.warning(
        RULES.duplicateAction,
        `this action repeats the one on line ${first}`,
        action.line,
      );
    } else seen.set(key, action.line);
  }
}
