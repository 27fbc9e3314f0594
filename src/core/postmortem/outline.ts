/** The document's sections: each heading with the top-level nodes under it. */
import type { Heading, Root, RootContent } from "mdast";
import { lineOf, plainText } from "./markdown.js";

export interface Section {
  heading: Heading;
  title: string;
  depth: number;
  line: number;
  /** Index of the heading in the root's children. */
  index: number;
  /** Top-level nodes up to the next heading of the same or a higher level (sub-headings included). */
  nodes: RootContent[];
}

export function outline(tree: Root): Section[] {
  const children = tree.children;
  const sections: Section[] = [];
  children.forEach((node, index) => {
    if (node.type !== "heading") return;
    let end = index + 1;
    while (end < children.length) {
      const next = children[end];
      if (next?.type === "heading" && next.depth <= node.depth) break;
      end++;
    }
    sections.push({
      heading: node,
      title: plainText(node),
      depth: node.depth,
      line: lineOf(node),
      index,
      nodes: children.slice(index + 1, end),
    });
  });
  return sections;
}

/** The first section whose title passes the test. */
export function findSection(
  sections: Section[],
  test: (title: string) => boolean,
): Section | undefined {
  return sections.find((section) => test(section.title));
}

/** Whether `inner` lies inside `outer`. */
export function isWithin(inner: Section, outer: Section): boolean {
  return inner.index > outer.index && inner.index <= outer.index + outer.nodes.length;
}
