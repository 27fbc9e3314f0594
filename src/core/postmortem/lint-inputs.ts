/** What lint rules look at besides actions: the could-be-better items and every block of prose. */
import type { Nodes } from "mdast";
import { toString as mdastToString } from "mdast-util-to-string";
import { isCouldBeBetterHeading } from "./headings.js";
import { blockText, foldSpace, lineOf, plainText, type Source } from "./markdown.js";
import type { Postmortem } from "./model.js";
import { findSection, type Section } from "./outline.js";

/** The items listed under "Could Be Better" / "What went wrong", for the lint rule that pairs them with actions. */
export function readCouldBeBetter(sections: Section[]): Postmortem["couldBeBetter"] {
  const section = findSection(sections, isCouldBeBetterHeading);
  if (!section) return [];
  const items: Postmortem["couldBeBetter"] = [];
  for (const node of section.nodes) {
    if (node.type === "heading") break;
    if (node.type === "list") {
      for (const item of node.children) items.push({ text: blockText(item), line: lineOf(item) });
    } else if (node.type === "table") {
      for (const row of node.children.slice(1)) {
        const first = row.children[0];
        if (first) items.push({ text: plainText(first), line: lineOf(row) });
      }
    }
  }
  return items.filter((item) => item.text !== "");
}

/** Every block of prose with its line, skipping code, so lint rules can look at the words. */
export function readProse(source: Source): Postmortem["prose"] {
  const prose: Postmortem["prose"] = [];
  const visit = (node: Nodes) => {
    if (node.type === "heading" || node.type === "tableCell") {
      const text = plainText(node);
      if (text !== "") prose.push({ text, line: lineOf(node) });
      return;
    }
    if (node.type === "paragraph") {
      // Line by line, so a finding about a word points at the line the word is on.
      const first = lineOf(node);
      mdastToString(node)
        .split("\n")
        .forEach((line, offset) => {
          const text = foldSpace(line);
          if (text !== "") prose.push({ text, line: first + offset });
        });
      return;
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(source.tree);
  return prose;
}
