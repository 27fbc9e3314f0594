/**
 * Actions not written as list items or table rows: a sub-heading with prose under it, and
 * sentences of follow-up prose. Each is marked as inferred, for the notice the author gets.
 */
import type { Heading, Paragraph, RootContent } from "mdast";
import { applyGroup } from "./action-rows.js";
import type { RawAction } from "./actions.js";
import { type Group, isStatusLabel } from "./groups.js";
import { normalizeHeading } from "./headings.js";
import { dedent, lineOf, referenceUrls, type Source, sourceOf, sourceOfRange } from "./markdown.js";
import { findIssueLink } from "./markers.js";
import {
  bodyReportsDone,
  commitsToWork,
  isImperative,
  isLeadIn,
  isQuestion,
  proseUnits,
  reportsDoneWork,
} from "./prose.js";
import { readPipeParagraph } from "./tables.js";

/** A heading's inline markdown, without the `#` marks. */
export function headingMarkdown(source: Source, heading: Heading): string {
  const first = heading.children[0];
  const last = heading.children[heading.children.length - 1];
  if (!first || !last) return "";
  return sourceOfRange(source, first, last);
}

/** Sub-headings that name a kind of action rather than one: "Short-term", "Process improvements". */
const CATEGORY_NAME =
  /(?:^|\s)(?:short|medium|mid|long|near)(?: |-)?term|^(?:immediate|urgent|later|future|ongoing|process|documentation|docs|detection|prevention|preventive|mitigation|monitoring|alerting|infra(?:structure)?|tooling|testing|communication|people|technical|product|engineering|security|other|misc(?:ellaneous)?|p[0-4]|high|medium|low|priority)\b|(?:actions?|improvements?|changes|items?|tasks?|work|fixes|steps|follow ?ups?)$/;

/**
 * A sub-heading with prose under it and no list or table: one action, the heading its text and
 * the prose its details ("### Faster deployment revert" and why).
 */
export function headingItem(
  source: Source,
  heading: Heading,
  body: RootContent[],
  category: string | null,
  group: Group,
): RawAction | null {
  if (body.length === 0) return null;
  if (!body.every((node) => node.type === "paragraph" || node.type === "blockquote")) return null;
  const markdown = headingMarkdown(source, heading);
  const name = normalizeHeading(markdown);
  // A question is no action ("### Should we shard?"): its prose is read as prose.
  if (name === "" || /\?\s*$/.test(markdown) || CATEGORY_NAME.test(name) || isStatusLabel(markdown))
    return null;
  if (body.some((node) => node.type === "paragraph" && readPipeParagraph(source, node)))
    return null;
  const first = body[0] as RootContent;
  const last = body[body.length - 1] as RootContent;
  const details = dedent(sourceOfRange(source, first, last));
  const done = bodyReportsDone(details);
  return applyGroup(
    {
      text: markdown.replace(/[\s:]+$/, ""),
      details,
      owners: [],
      dueRaw: null,
      done,
      doneByPastTense: done,
      saysFuture: !done,
      link: findIssueLink(`${markdown}\n${details}`),
      type: null,
      priority: null,
      category,
      line: lineOf(heading),
      inferred: "heading",
    },
    { ...group, done: null },
  );
}

/**
 * Sentences of follow-up prose that commit to work or report it done, one action each.
 * Explanation, background and questions are not actions.
 */
export function readProse(
  source: Source,
  paragraph: Paragraph,
  category: string | null,
  group: Group,
): { action: RawAction; imperative: boolean }[] {
  const markdown = sourceOf(source, paragraph);
  if (isLeadIn(markdown)) return [];
  const urls = referenceUrls(source.tree, paragraph).join(" ");
  const actions: { action: RawAction; imperative: boolean }[] = [];
  for (const unit of proseUnits(markdown)) {
    if (isQuestion(unit.text) || isLeadIn(unit.text)) continue;
    const commits = commitsToWork(unit.text);
    const done = !commits && reportsDoneWork(unit.text);
    if (!commits && !done) continue;
    const action = applyGroup(
      {
        text: unit.text,
        details: null,
        owners: [],
        dueRaw: null,
        done,
        doneByPastTense: done,
        saysFuture: commits,
        link: findIssueLink(`${unit.text}\n${urls}`),
        type: null,
        priority: null,
        category,
        line: lineOf(paragraph) + unit.offset,
        inferred: "prose",
      },
      group,
    );
    actions.push({ action, imperative: isImperative(unit.text) });
  }
  return actions;
}
