/** Making document text safe to copy into issues: no stray pings, no raw HTML, within GitHub's limits. */

export const TITLE_LIMIT = 256;
export const BODY_LIMIT = 65_536;

/** Splits markdown into code (fenced blocks and inline spans) and the prose between them. */
function mapProse(markdown: string, transform: (prose: string) => string): string {
  const parts = markdown.split(/(```[\s\S]*?```|~~~[\s\S]*?~~~|`[^`\n]*`)/);
  return parts.map((part, index) => (index % 2 === 1 ? part : transform(part))).join("");
}

const MENTION = /(^|[^\w`/@.])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w.-]*)?)/g;

/**
 * Markdown from a document, made safe for an issue: `@someone` and `@org/team` become code spans
 * (they do not notify anyone), and raw HTML tags are escaped. Autolinks (`<https://…>`) stay.
 */
export function safeMarkdown(markdown: string): string {
  return mapProse(markdown, (prose) =>
    prose
      .replace(/<(?!https?:\/\/[^>\s]+>)(?=[A-Za-z/!?])/g, "&lt;")
      .replace(MENTION, (_, before: string, name: string) => `${before}\`@${name}\``),
  );
}

/** Plain text from inline markdown: link labels kept, emphasis and code marks dropped. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<(https?:\/\/[^>\s]+)>/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__|~~)(.+?)\1/g, "$2")
    .replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, "$1$2")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/** An issue title from an action's text: plain, one line, within GitHub's limit. */
export function issueTitle(markdown: string, prefix = ""): string {
  const text = `${prefix}${plainText(markdown)}` || "Follow-up action";
  return truncate(text, TITLE_LIMIT);
}

export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - 1).trimEnd()}…`;
}

/** Escapes text placed inside a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
