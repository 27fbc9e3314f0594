/**
 * Lines that open an action section without being a heading: "Action Items" alone on a line, or
 * "**What has been done**", right before a list or table. They are read as headings.
 */
import type { Heading, Root, RootContent } from "mdast";
import { toString as mdastToString } from "mdast-util-to-string";
import { isActionSectionName } from "./headings.js";
import { plainText } from "./markdown.js";

/** Turns each such paragraph into a heading one level below the heading it stands under. */
export function promoteSectionLines(tree: Root): void {
  let depth = 0;
  tree.children.forEach((node, index) => {
    if (node.type === "heading") {
      depth = node.depth;
      return;
    }
    if (node.type !== "paragraph" || !isSectionLine(node, tree.children[index + 1])) return;
    const heading: Heading = {
      type: "heading",
      depth: Math.min(depth + 1, 6) as Heading["depth"],
      children: node.children,
      ...(node.position ? { position: node.position } : {}),
    };
    tree.children[index] = heading;
  });
}

function isSectionLine(node: RootContent, next: RootContent | undefined): boolean {
  if (node.type !== "paragraph" || (next?.type !== "list" && next?.type !== "table")) return false;
  const raw = mdastToString(node);
  if (raw.length > 60 || raw.includes("\n")) return false;
  // "Action Items", "**Action items**", "**Action items:**" or "**Action items**:".
  const [first, ...rest] = node.children;
  const bold =
    first?.type === "strong" &&
    rest.every((child) => child.type === "text" && /^\s*:?\s*$/.test(child.value));
  const plain = node.children.every((child) => child.type === "text");
  return (bold || plain) && isActionSectionName(plainText(node).replace(/:\s*$/, ""));
}
