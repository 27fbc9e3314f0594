/** Reading the markers people put in an action's text: done, links, priority, owner and due tags. */

const DONE_WORDS =
  /^(?:done|complete|completed|closed|fixed|resolved|finished|shipped|merged|implemented|yes|y|x|✅|✔|✔️|☑|☑️)$/i;
const NOT_DONE_WORDS =
  /^(?:todo|to do|open|pending|in progress|wip|ongoing|not started|planned|blocked|no|n|tbd)$/i;

/** A status cell: true when it says done, false when it says not done, null when it says neither. */
export function readStatus(cell: string): boolean | null {
  const text = cell
    .replace(/[*_`~.]/g, "")
    // A colour dot or mark before the word ("🟢 Done", "⏳ In progress").
    .replace(/^[^\p{L}\p{N}✅✔☑]+(?=\p{L})/u, "")
    .replace(/\s+/g, " ")
    .trim();
  if (text === "") return null;
  if (DONE_WORDS.test(text)) return true;
  if (NOT_DONE_WORDS.test(text)) return false;
  if (/^(?:done|completed|fixed|resolved|closed)\b/i.test(text)) return true;
  return null;
}

const LEADING_DONE = /^(?:✅|✔️|✔|☑️|☑|\[x\]|\[X\])\s*/u;
/** "[DONE] …", "(done) …", "DONE: …" before the text. */
const LEADING_DONE_WORD =
  /^(?:\[(?:done|DONE|Done)\]|\((?:done|DONE|Done)\)|(?:DONE|Done)\s*:)\s*(?=\S)/u;

/** A done word before the text (`[DONE]`, `DONE:`). Returns the text without it. */
export function stripLeadingDoneWord(text: string): { text: string; done: boolean } {
  const match = text.match(LEADING_DONE_WORD);
  return match ? { text: text.slice(match[0].length), done: true } : { text, done: false };
}

/** A done marker at the start of the text (`✅`, `[x]`). Returns the text without it. */
export function stripLeadingDone(text: string): { text: string; done: boolean } {
  if (LEADING_DONE.test(text)) return { text: text.replace(LEADING_DONE, ""), done: true };
  return { text, done: false };
}

// The end-of-text patterns below start with `(?<!\s)\s*`: a match may only begin where a run of
// spaces begins, so a long run of spaces is scanned once, not once per space (quadratic).

/**
 * Done markers at the end or inside: `(done)`, `[done]`, `— done`, `DONE`, `_done in grafana_`,
 * `(fixed by #12)`, `fixed in https://…`. Returns the text without a trailing marker.
 */
export function stripTrailingDone(text: string): { text: string; done: boolean } {
  const trailing =
    /(?<!\s)\s*(?:[-–—:]\s*)?(?:\((?:done|completed|fixed|resolved)[^()]*\)|\[(?:done|completed|fixed)[^[\]]*\]|\b(?:DONE|Done|COMPLETED|Completed)\b)\s*\.?\s*$/u;
  if (trailing.test(text)) return { text: text.replace(trailing, "").trim(), done: true };
  const emphasized =
    /(?<!\s)\s*[_*]{1,2}(?:done|completed|fixed|resolved)\b[^_*]*[_*]{1,2}\s*\.?\s*$/iu;
  if (emphasized.test(text)) return { text: text.replace(emphasized, "").trim(), done: true };
  if (/\b(?:fixed|resolved|done) (?:by|in|with) (?:#\d+|https?:\/\/\S+|\[[^\]]+\]\()/i.test(text)) {
    return { text, done: true };
  }
  return { text, done: false };
}

/**
 * Text struck through (`~~…~~`), alone or with the reason after it ("~~Move X~~ not needed
 * after Y"): the action was dropped, so it counts as done. Returns the struck text.
 */
export function stripStrikethrough(text: string): { text: string; done: boolean } {
  const match = text.match(/^~~((?:(?!~~).)+)~~(?:\s*\.?$|\s*[-–—:(,;]|\s+\S)/s);
  if (match?.[1]) return { text: match[1].trim(), done: true };
  return { text, done: false };
}

/** Statements that something already happened: "has been disabled", "We have removed". */
export function soundsDone(text: string): boolean {
  const plain = text.replace(/[`*_]/g, "");
  return (
    /\b(?:has|have|had) been \w+(?:ed|en|wn|ne|lt|ht)\b/i.test(plain) ||
    /^\s*we(?: have|'ve|’ve) (?:already )?\w+(?:ed|en|lt|ht)\b/i.test(plain)
  );
}

/**
 * A URL to an issue or pull request: GitHub's and GitLab's (`/-/issues/`, `/-/merge_requests/`),
 * and an issue tracker's ticket page (Jira's `/browse/KEY-12`).
 */
const ISSUE_URL =
  /https?:\/\/(?:[^\s)>\]]+\/[^\s/)>\]]+\/[^\s/)>\]]+\/(?:-\/)?(?:issues|pull|merge_requests)\/\d+(?:#[^\s)>\]]*)?|[^\s/)>\]]+\/(?:jira\/)?browse\/[A-Z][A-Z0-9]+-\d+\b)/;
const ANY_URL = /https?:\/\/[^\s)>\]]+/;
const ISSUE_REF = /(?:^|[\s(,;:[])#(\d{1,9})\b/;

const URLS = new RegExp(ANY_URL.source, "g");
const ISSUE_URL_AT_START = new RegExp(`^${ISSUE_URL.source}`);

/** An issue or pull request the text links: a URL to one, or `#N`. */
export function findIssueLink(text: string): string | null {
  // Tried once per URL rather than at every "http" inside one: a run of URLs without spaces
  // would otherwise be rescanned from each of them (quadratic).
  for (const candidate of text.matchAll(URLS)) {
    const url = candidate[0].match(ISSUE_URL_AT_START);
    if (url) return url[0];
  }
  const ref = text.match(ISSUE_REF);
  return ref ? `#${ref[1]}` : null;
}

/** An issue tag's value: `#123`, or a URL to an issue or pull request. */
const ISSUE_TAG_VALUE = new RegExp(`^(?:#\\d{1,9}|${ISSUE_URL.source})$`);
const ISSUE_TAG = /^\((?:issue|Issue|ISSUE)\s*:\s*([^\s()]+)\s*\)\s*$/;

/**
 * An issue tag at the very end of an action's text, `(issue: #123)` or `(issue: <issue URL>)`:
 * the action's link, written by hand or by the app's write-back. Returns the text without it.
 * Read before any other marker, so a tag written after a done marker or owner tag leaves them be.
 */
export function stripIssueTag(text: string): { text: string; link: string | null } {
  // The tag holds no parentheses, so it starts at the last "(": no scan from every position.
  const open = text.lastIndexOf("(");
  if (open === -1) return { text, link: null };
  const value = text.slice(open).match(ISSUE_TAG)?.[1];
  const rest = text.slice(0, open).trimEnd();
  if (!value || rest === "" || !ISSUE_TAG_VALUE.test(value)) return { text, link: null };
  return { text: rest, link: value };
}

/** A link to a commit: the evidence of done work when an item links nothing else. */
export function findCommitLink(text: string): string | null {
  for (const candidate of text.matchAll(URLS)) {
    if (
      /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/(?:-\/)?commits?\/[0-9a-f]{7,40}\b/.test(candidate[0])
    )
      return candidate[0];
  }
  return null;
}

/** Links to code (commits, files, comparisons, releases): they show work, they track nothing. */
const CODE_URL =
  /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/(?:-\/)?(?:commits?|blob|tree|compare|raw|releases)\//;

/** A link cell: an issue or PR (URL or `#N`), else any URL that is not a link to code, else null. */
export function readLinkCell(cell: string): string | null {
  const issue = findIssueLink(cell);
  if (issue) return issue;
  const url = cell.match(ANY_URL)?.[0];
  return url && !CODE_URL.test(url) ? url : null;
}

/** `**HIGH**`, `[P1]` (marked), or `P0:` / `High -` (a bare word needs a separator after it). */
const MARKED_PRIORITY =
  /^(?:\*\*|__|\[)(P[0-4]|HIGH|MEDIUM|MED|LOW|CRITICAL|URGENT|High|Medium|Low|Critical)(?:\*\*|__|\])\s*(?:[:\-–—]\s*)?/;
const BARE_PRIORITY = /^(P[0-4]|HIGH|MEDIUM|LOW|CRITICAL|URGENT)\s*[:\-–—]\s+/;

/** A priority tag at the start: `**HIGH**`, `[P1]`, `P0:`. */
export function stripLeadingPriority(text: string): { text: string; priority: string | null } {
  const match = text.match(MARKED_PRIORITY) ?? text.match(BARE_PRIORITY);
  if (!match?.[1]) return { text, priority: null };
  return { text: text.slice(match[0].length).trim(), priority: match[1] };
}

export interface Tags {
  owners: string | null;
  due: string | null;
}

const OWNER_KEYS = "owners?|assignees?|assigned to|who|responsible|dri";

/**
 * An owner written before the action: "Platform team: review …", "@alice: add …". Only a team
 * name or mentions, so "Note: …" or "Phase 2: …" stay text.
 */
const OWNER_PREFIX =
  /^((?:the )?(?:[A-Za-z0-9][\w.&'-]* ){1,3}team|@[\w-]+(?:\/[\w.-]+)?(?:\s*(?:,|and|&)\s*@[\w-]+(?:\/[\w.-]+)?)*)\s*:\s+(?=\S)/i;

export function stripOwnerPrefix(text: string): { text: string; owner: string | null } {
  const match = text.match(OWNER_PREFIX);
  if (!match?.[1]) return { text, owner: null };
  return { text: text.slice(match[0].length), owner: match[1] };
}
const DUE_KEYS = "due(?: date)?|target(?: date)?|deadline|eta|by";

/**
 * Owner and due tags written in a list item: `(owner: @alice, due: 2026-03-15)`,
 * `[Owner: Susan J]`, `— @alice, by March 15`, `Due: …`. Returns the text without them.
 */
export function stripTags(text: string): { text: string; tags: Tags } {
  const tags: Tags = { owners: null, due: null };
  let rest = text;
  // Bracketed groups at the end, read from the last one backwards.
  for (;;) {
    const group = rest.match(/(?<!\s)\s*[([]([^()[\]]*)[)\]]\s*\.?\s*$/);
    if (!group?.[1] || !readKeyValues(group[1], tags)) break;
    rest = rest.slice(0, group.index).trimEnd();
  }
  // "— owner: X; due: Y" or "Owner: X" runs at the end.
  const keyed = new RegExp(
    `(?<!\\s)\\s*(?:[-–—|;,]\\s*)?\\b((?:${OWNER_KEYS}|${DUE_KEYS})\\s*:.*)$`,
    "i",
  );
  const run = rest.match(keyed);
  if (run?.[1] && readKeyValues(run[1], tags)) rest = rest.slice(0, run.index).trimEnd();
  // "— @alice" or "— @alice, @bob" at the end.
  const mention = rest.match(/(?<!\s)\s*[-–—]\s*((?:@[\w-]+(?:\/[\w-]+)?[\s,]*)+)\.?\s*$/);
  if (mention?.[1] && tags.owners === null) {
    tags.owners = mention[1].trim().replace(/,$/, "");
    rest = rest.slice(0, mention.index).trimEnd();
  }
  return { text: rest.replace(/(?<!\s)\s*[-–—:,;]\s*$/, "").trim(), tags };
}

function readKeyValues(group: string, tags: Tags): boolean {
  // One space per run, so the `\s*` around separators cannot backtrack over long runs.
  // "owner: @a, due 2026-02-01": a comma starts a new pair before any known key, colon or not.
  const parts = foldRuns(group).split(
    new RegExp(`\\s*;\\s*|\\s*,\\s*(?=(?:[a-z ]+):|(?:${OWNER_KEYS}|${DUE_KEYS})\\s)`, "i"),
  );
  let read = false;
  for (const part of parts) {
    const match = part.match(
      new RegExp(`^\\s*(${OWNER_KEYS}|${DUE_KEYS})\\s*:?\\s+(.+?)\\s*$`, "i"),
    );
    if (!match?.[1] || !match[2]) return false;
    if (new RegExp(`^(?:${OWNER_KEYS})$`, "i").test(match[1])) tags.owners = match[2];
    else tags.due = match[2];
    read = true;
  }
  return read;
}

function foldRuns(text: string): string {
  return text.replace(/\s+/g, " ");
}
