/** Reading actions out of list items: text, inline tags, status, links and sub-lists. */
import type { List, ListItem, RootContent } from "mdast";
import type { RawAction } from "./actions.js";
import { readMarkers } from "./item-markers.js";
import {
  dedent,
  lineOf,
  oneLine,
  plainText,
  referenceUrls,
  type Source,
  sourceOf,
  sourceOfRange,
} from "./markdown.js";
import {
  findCommitLink,
  findIssueLink,
  readStatus,
  soundsDone,
  stripIssueTag,
  stripOwnerPrefix,
  stripTags,
} from "./markers.js";
import { splitOwners } from "./owners.js";
import { reportsDoneWork, saysFuture } from "./prose.js";

export function readList(source: Source, list: List, category: string | null): RawAction[] {
  return list.children
    .map((item) => readItem(source, item, category))
    .filter((a): a is RawAction => a !== null);
}

/**
 * A list whose items all define a term ("Prevent - stop it happening again", "P0: critical"):
 * an explanation of the table beside it, not actions.
 */
export function isGlossary(source: Source, list: List): boolean {
  return list.children.every((item) => {
    const first = item.children[0];
    const head = first ? oneLine(sourceOf(source, first)).replace(/[*_`]/g, "") : "";
    return /^[\p{L}\p{N}/]+(?: [\p{L}\p{N}/]+){0,2}\s*(?:\s[-–—]|:)\s+\S/u.test(head);
  });
}

export function readItem(
  source: Source,
  item: ListItem,
  category: string | null,
): RawAction | null {
  const [first, ...rest] = item.children;
  if (!first) return null;
  const written = first.type === "paragraph" ? oneLine(sourceOf(source, first)) : plainText(first);
  const tag = stripIssueTag(written);
  const head = tag.text;
  const details =
    rest.length > 0
      ? dedent(sourceOfRange(source, rest[0] as RootContent, rest[rest.length - 1] as RootContent))
      : null;
  const marked = readMarkers(head);
  const tagged = stripTags(marked.text);
  if (tagged.text === "") return null;
  // What earlier versions read as the text: the identity key stays computed from it.
  const legacyText = marked.keyText ? stripTags(marked.keyText).text : tagged.text;
  const prefixed = tagged.tags.owners === null ? stripOwnerPrefix(tagged.text) : null;
  const owner = prefixed?.owner ?? null;
  let text = prefixed?.text ?? tagged.text;
  const mentions = tagged.tags.owners === null && owner === null ? inlineMentions(text) : [];
  const subList = rest[0]?.type === "list" ? rest[0] : null;
  // "Ensure alerting is in place for:" means nothing without the sub-items it introduces.
  if (/:\s*$/.test(marked.text) && subList)
    text = `${text.replace(/:\s*$/, "")}: ${subItemsText(source, subList)}`;
  const sub = subList ? subItemTags(source, subList) : NO_SUB_TAGS;
  const pastTense =
    !marked.done && item.checked !== false && (soundsDone(text) || reportsDoneWork(text));
  const itemUrls = referenceUrls(source.tree, first).join(" ");
  const everything = `${text}\n${itemUrls}\n${details ?? ""}`;
  const done = item.checked === true || marked.done || pastTense || sub.done === true;
  return {
    text,
    ...(legacyText !== text ? { keyText: legacyText } : {}),
    details,
    owners:
      tagged.tags.owners !== null
        ? splitOwners(tagged.tags.owners)
        : owner !== null
          ? splitOwners(owner)
          : sub.owners !== null
            ? splitOwners(sub.owners)
            : mentions,
    dueRaw: tagged.tags.due ?? sub.due,
    done,
    doneByPastTense: pastTense && item.checked !== true,
    saysFuture: item.checked === false || sub.done === false || saysFuture(text),
    // A commit is no tracking for work to come, but it is the record of work done.
    link: tag.link ?? findIssueLink(everything) ?? (done ? findCommitLink(everything) : null),
    type: null,
    priority: marked.priority,
    category,
    line: lineOf(item),
  };
}

interface SubTags {
  owners: string | null;
  due: string | null;
  done: boolean | null;
}

const NO_SUB_TAGS: SubTags = { owners: null, due: null, done: null };

const SUB_TAG =
  /^(?:\*\*|__)?(owners?|assignees?|assigned to|who|dri|responsible|due(?: date)?|eta|target(?: date)?|deadline|status|state)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(\S.*)$/i;

/**
 * Owner, due date and status written as sub-items of their own ("- Owner: @ana", "- Due: March
 * 3", "- Status: done"): the item's, as if written on its line.
 */
function subItemTags(source: Source, list: List): SubTags {
  const tags: SubTags = { owners: null, due: null, done: null };
  for (const child of list.children) {
    const first = child.children[0];
    if (first?.type !== "paragraph") continue;
    const match = oneLine(sourceOf(source, first)).match(SUB_TAG);
    const key = match?.[1]?.toLowerCase() ?? "";
    const value = match?.[2]?.trim() ?? "";
    if (value === "") continue;
    if (/^(?:owners?|assignees?|assigned to|who|dri|responsible)$/.test(key)) tags.owners ??= value;
    else if (/^(?:status|state)$/.test(key)) tags.done ??= readStatus(value);
    else tags.due ??= value;
  }
  return tags;
}

/** The sub-items' first lines, joined: "Warp Speed; Claims backend". */
function subItemsText(source: Source, list: List): string {
  return list.children
    .map((child) => {
      const first = child.children[0];
      if (!first) return "";
      return readMarkers(oneLine(sourceOf(source, first))).text;
    })
    .filter((text) => text !== "")
    .join("; ");
}

/** `@login` mentions in an action's text, as owners (not e-mail addresses or broadcasts). */
function inlineMentions(text: string): string[] {
  const found = text.match(/(?<![\w.`])@[A-Za-z0-9][\w-]*(?:\/[\w.-]+)?/g) ?? [];
  return [...new Set(found)].filter(
    (mention) => !/^@(?:here|channel|everyone|all)$/i.test(mention),
  );
}
