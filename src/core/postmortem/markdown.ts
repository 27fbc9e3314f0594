/** remark's view of a document, and the few ways the parser looks at its nodes. */
import type { Literal, Nodes, Root } from "mdast";
import { toString as mdastToString } from "mdast-util-to-string";
import { remark } from "remark";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";

const processor = remark().use(remarkGfm).use(remarkFrontmatter, ["yaml", "toml"]);

export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}

/** A source document: its text and the tree remark made of it. */
export interface Source {
  text: string;
  tree: Root;
}

export function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

/** The markdown a node was written as (inline formatting kept). */
export function sourceOf(source: Source, node: Nodes): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return mdastToString(node);
  return source.text.slice(start, end);
}

/** The markdown of a run of sibling nodes, from the first's start to the last's end. */
export function sourceOfRange(source: Source, first: Nodes, last: Nodes): string {
  const start = first.position?.start.offset;
  const end = last.position?.end.offset;
  if (start === undefined || end === undefined) return mdastToString(first);
  return source.text.slice(start, end);
}

/** Plain text of a node, whitespace folded. */
export function plainText(node: Nodes): string {
  return foldSpace(mdastToString(node));
}

/**
 * An inline link or image, `[label](target)`, the label in group 1. Labels and targets stop at the
 * next bracket, so a run of unclosed `[` or `](` is scanned once, not once per bracket.
 */
export const INLINE_LINK = /!?\[([^[\]]*)\]\((?:[^()]|\([^()]*\))*\)/g;

/** Nodes whose children are blocks (or cells): their text needs a separator between children. */
const BLOCK_PARENTS = new Set([
  "root",
  "list",
  "listItem",
  "blockquote",
  "table",
  "tableRow",
  "footnoteDefinition",
]);

/**
 * Plain text of a node with its blocks kept apart: list items joined by "; " (by a space when an
 * item ends a sentence), paragraphs and table cells by a space. `plainText` runs them together.
 */
export function blockText(node: Nodes): string {
  if (!("children" in node) || !BLOCK_PARENTS.has(node.type)) return plainText(node);
  const parts = (node.children as Nodes[]).map(blockText).filter((part) => part !== "");
  if (node.type !== "list") return foldSpace(parts.join(" "));
  // Looks at the last character of the item before, not at the text so far: linear in items.
  return parts
    .map((part, i) =>
      i === 0 ? part : `${SENTENCE_END.has(parts[i - 1]?.at(-1) ?? "") ? " " : "; "}${part}`,
    )
    .join("");
}

const SENTENCE_END = new Set([".", "!", "?", ";", ":"]);

export function foldSpace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Joins the lines of an inline markdown fragment into one line, dropping hard-break markers. */
export function oneLine(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) =>
      line
        .trim()
        .replace(/\\$/, "")
        .replace(/(?<! ) {2,}$/, ""),
    )
    .filter((line) => line !== "")
    .join(" ")
    .trim();
}

/** Removes the common indentation of the lines after the first (list item continuations). */
export function dedent(markdown: string): string {
  const lines = markdown.split("\n");
  const indents = lines
    .slice(1)
    .filter((line) => line.trim() !== "")
    .map((line) => line.match(/^ */)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line, i) => (i === 0 ? line : line.slice(cut))).join("\n");
}

declare module "mdast" {
  /** TOML front matter (`+++`), which remark-frontmatter reads but does not type. */
  interface Toml extends Literal {
    type: "toml";
  }
  interface RootContentMap {
    toml: Toml;
  }
  interface FrontmatterContentMap {
    toml: Toml;
  }
}

/** Inline markdown as bare words: links keep their label, URLs stay, emphasis and code marks go. */
export function plainCell(markdown: string): string {
  return foldSpace(markdown.replace(INLINE_LINK, "$1").replace(/[*_`]/g, ""));
}

const definitionMaps = new WeakMap<Root, Map<string, string>>();

/** The document's link reference definitions (`[label]: url`), by normalized label. */
export function definitionsOf(tree: Root): Map<string, string> {
  const cached = definitionMaps.get(tree);
  if (cached) return cached;
  const map = new Map<string, string>();
  const visit = (node: Nodes) => {
    if (node.type === "definition") {
      const key = node.identifier.toLowerCase();
      if (!map.has(key)) map.set(key, node.url);
    } else if ("children" in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  definitionMaps.set(tree, map);
  return map;
}

/** The URLs a node's reference links (`[#12]`, `[text][ref]`) point at, in order. */
export function referenceUrls(tree: Root, node: Nodes): string[] {
  const definitions = definitionsOf(tree);
  if (definitions.size === 0) return [];
  const urls: string[] = [];
  const visit = (child: Nodes) => {
    if (child.type === "linkReference") {
      const url = definitions.get(child.identifier.toLowerCase());
      if (url) urls.push(url);
    }
    if ("children" in child) for (const grandchild of child.children) visit(grandchild);
  };
  visit(node);
  return urls;
}
