/**
 * How GitHub would read rendered markdown, for tests: the mentions that would notify someone and
 * the raw HTML that would pass through. Parsed with remark (CommonMark + GFM), independent of the
 * app's own neutralising code.
 */
import type { Nodes } from "mdast";
import { remark } from "remark";
import remarkGfm from "remark-gfm";

/** GitHub reads a mention at the start of a text node or after a character that is not a word character. */
const LIVE = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w.-]*)?)/g;

/** Where GitHub looks for mentions: text outside code, links and HTML. */
function texts(node: Nodes, out: string[]): string[] {
  if (node.type === "text") out.push(node.value);
  if (node.type === "link" || node.type === "linkReference") return out;
  if ("children" in node) for (const child of node.children) texts(child as Nodes, out);
  return out;
}

function htmlNodes(node: Nodes, out: string[]): string[] {
  if (node.type === "html") out.push(node.value);
  if ("children" in node) for (const child of node.children) htmlNodes(child as Nodes, out);
  return out;
}

export function liveMentions(markdown: string): string[] {
  const tree = remark().use(remarkGfm).parse(markdown);
  return texts(tree, []).flatMap((text) => [...text.matchAll(LIVE)].map((m) => `@${m[1]}`));
}

/** HTML that would pass through, other than the app's own hidden `<!-- follow-through:… -->` comments. */
export function rawHtml(markdown: string): string[] {
  return htmlNodes(remark().use(remarkGfm).parse(markdown), []).filter(
    (html) => !/^<!-- follow-through:[^\n]*-->$/.test(html),
  );
}

/**
 * Mentions in a title, read as plain text (GitHub shows a title's text as written): `@name` at the
 * start or after a character that is not a word character.
 */
export function liveTitleMentions(title: string): string[] {
  return [...title.matchAll(LIVE)].map((m) => `@${m[1]}`);
}

/** Characters that reorder text around them (embeddings, overrides, isolates, marks). */
export const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
