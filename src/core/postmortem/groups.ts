/**
 * Groups of actions: a sub-heading or a bold label inside an action section ("### Immediate
 * actions (completed)", "**Actions planned:**", "### Short-term ([tracking issue](…))"). What the
 * label says about status or tracking applies to every item under it that does not say otherwise.
 */
import { normalizeHeading } from "./headings.js";
import { findIssueLink } from "./markers.js";

export interface Group {
  /** The label without its status or link. */
  name: string;
  /** true: the items are done; false: they are planned; null: the label does not say. */
  done: boolean | null;
  /** The issue or PR the label links, for items that link none of their own. */
  link: string | null;
  /** A target date the label gives ("(due 2026-06-30)", "— by March 15"), as written. */
  due: string | null;
}

/** "due …", "by …", "target: …" in a label, when what follows starts with a date. */
const LABEL_DUE =
  /(?:^|[\s([,;–—-])(?:due|by|target|deadline|eta)\s*:?\s+((?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s|end of |q[1-4]\b)[^()[\],;]*?)\s*(?:[)\],;]|$)/i;

/** Labels of finished groups, and of dropped ones ("Won't do"): either way nothing is left to do. */
const DONE_LABEL =
  /^(?:what (?:has been|we ve|we have|was|we) (?:done|fixed|changed)|(?:actions? )?(?:taken|completed|done)|completed(?: actions?| items?| work)?|done|resolved|already (?:done|fixed)|immediate (?:fixes|remediation) applied|won ?t do|will not do|not planned|dropped|cancell?ed|rejected|declined)$/;
const PLANNED_LABEL =
  /^(?:(?:actions? )?(?:planned|pending|open|to do|todo|in progress)|planned(?: actions?| work)?|next steps?|what (?:we will|we ll|we are going to|will we) do(?: next)?|upcoming|remaining|future work)$/;

/** "(completed)", "(done)", "[DONE]" after a label's name. */
const STATUS_SUFFIX =
  /\s*[([]\s*(done|completed|complete|finished|planned|in progress|open)\s*[)\]]\s*$/i;

/** Reads a group label (its markdown) into the name, the status and the link it gives its items. */
export function readGroup(markdown: string): Group {
  const link = findIssueLink(markdown);
  const dueMatch = markdown.replace(/\[[^\]]*\]\([^)]*\)/g, "").match(LABEL_DUE);
  const due = dueMatch?.[1]?.trim() ?? null;
  // The label's words without link markup, emphasis or a trailing colon.
  let name = (dueMatch ? markdown.replace(dueMatch[0], "") : markdown)
    .replace(/\(\s*\[[^\]]*\]\([^)]*\)\s*\)/g, "")
    .replace(/\(\s*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`]/g, "")
    .replace(/:\s*$/, "")
    .trim();
  let done: boolean | null = null;
  const suffix = name.match(STATUS_SUFFIX);
  if (suffix?.[1]) {
    done = /^(?:done|completed|complete|finished)$/i.test(suffix[1]);
    name = name.slice(0, suffix.index).trim();
  }
  const normalized = normalizeHeading(name);
  if (done === null && DONE_LABEL.test(normalized)) done = true;
  if (done === null && PLANNED_LABEL.test(normalized)) done = false;
  return { name: name.replace(/[\s–—-]+$/, ""), done, link, due };
}

/**
 * A paragraph that is only a bold label ("**Actions planned:**", "**What has been done**"): a
 * group label when it names a status, so the list after it takes that status.
 */
export function boldLabel(markdown: string): string | null {
  const match = markdown.trim().match(/^(?:\*\*|__)([^*_\n]{1,80}?)(?:\*\*|__)\s*:?\s*$/);
  return match?.[1] ? match[1].trim() : null;
}

export function isStatusLabel(label: string): boolean {
  return readGroup(label).done !== null;
}
