/** Making document text safe to copy into issues: no stray pings, no raw HTML, within GitHub's limits. */
import { segments } from "./segments.js";

export const TITLE_LIMIT = 256;
export const BODY_LIMIT = 65_536;
/** Room kept in every body for the signature the app adds to its hidden marker when it writes. */
export const MARKER_SIGNATURE_ROOM = 32;

/** Invisible; after an `@` it keeps GitHub from reading a mention in plain text (titles). */
const WORD_JOINER = "\u2060";

/** `&#64;`, `&#x40;`, `&commat;` render as `@`, and an entity for a letter or digit after it as that character. */
function decodeMentionEntities(prose: string): string {
  return prose
    .replace(/&(?:#0*64|#[xX]0*40|commat);/g, "@")
    .replace(/@&#(?:(\d+)|[xX]([0-9a-fA-F]+));/g, (whole, dec?: string, hex?: string) => {
      const char = String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hex ?? "", 16));
      return /^[A-Za-z0-9]$/.test(char) ? `@${char}` : whole;
    });
}

/**
 * Web addresses GitHub turns into links (a mention inside a link does not notify): `<https://…>`,
 * and bare `https://`, `http://` or `www.` addresses with a real domain where GitHub's autolink
 * extension starts them (line start, space, `*`, `_`, `~`, `(`). A bare address is taken to end at
 * the first character where some markdown reader might end it (brackets, emphasis marks, quotes,
 * entities): what follows is treated as prose.
 */
const LINKS = /<https?:\/\/[^<>\s]+>|(?:https?:\/\/|www\.)[^\s<>`[\]()"'*_~\\!&;]+/g;

function isAutolinked(link: string, before: string): boolean {
  if (link.startsWith("<")) return true;
  if (!/^$|[\s*_~(]/.test(before)) return false;
  const rest = link.replace(/^https?:\/\//, "");
  const domain = rest.match(/^[A-Za-z0-9_.-]+/)?.[0] ?? "";
  // Readers differ on what may follow the domain; a path, query or port is safe to keep.
  if (!/^(?:[/?#:]|$)/.test(rest.slice(domain.length))) return false;
  const parts = domain.split(".").filter(Boolean);
  return parts.length >= 2 && !parts.slice(-2).some((part) => part.includes("_"));
}

const MENTION = /(?<!\\)(\\*)@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w.-]*)?)/g;

/** Prose outside links: raw HTML escaped, every `@name` (user, team, `@everyone`) in a code span. */
function neutraliseText(text: string, options: { brackets: boolean }): string {
  let out = text.replace(/<(?=[A-Za-z/!?])/g, "&lt;");
  if (options.brackets) out = out.replace(/(?<!\\)((?:\\\\)*)([[\]])/g, "$1\\$2");
  let lastEnd = -1;
  return out.replace(MENTION, (whole, slashes: string, name: string, offset: number) => {
    const before = out[offset - 1] ?? "";
    const afterMention = offset === lastEnd;
    lastEnd = offset + whole.length;
    // Emails stay readable: GitHub reads no mention right after a letter or digit (unless that
    // letter ends a mention this puts in a code span).
    if (slashes === "" && /[A-Za-z0-9]/.test(before) && !afterMention && !afterEmail(out, offset))
      return whole;
    // `\@` is just `@`; a backslash left in front would escape the code span's backtick.
    const kept = slashes.slice(0, slashes.length - (slashes.length % 2));
    // Two code spans side by side would merge their backticks into one longer run.
    return `${afterMention ? WORD_JOINER : ""}${kept}\`@${name}\``;
  });
}

/**
 * `a@b.com@bob`: GitHub links the email, and the `@bob` after the link reads as a mention. So
 * does an email running into an address (`a@b.com_http://…`): the email takes the address's start.
 */
function afterEmail(text: string, offset: number): boolean {
  const word = /[A-Za-z0-9.+_-]*$/.exec(text.slice(Math.max(0, offset - 300), offset))?.[0] ?? "";
  return text[offset - word.length - 1] === "@";
}

/** `before`: the character in front of the prose (empty at the start of a line). */
function neutraliseProse(prose: string, before: string, options: { brackets: boolean }): string {
  const decoded = decodeMentionEntities(prose).replace(/^( {0,3})~~~/gm, "$1\\~~~");
  let out = "";
  let last = 0;
  for (const match of decoded.matchAll(LINKS)) {
    const prev = match.index === 0 ? before : (decoded[match.index - 1] ?? "");
    if (!isAutolinked(match[0], prev) || afterEmail(decoded, match.index - 1)) continue;
    out += neutraliseText(decoded.slice(last, match.index), options) + match[0];
    last = match.index + match[0].length;
  }
  return out + neutraliseText(decoded.slice(last), options);
}

/** A copy of the app's marker inside document code must not pass for the real one. */
function defuseMarkers(code: string): string {
  return code.replace(/<!-- follow-through:/g, `<!-- follow${WORD_JOINER}-through:`);
}

function transform(markdown: string, options: { brackets: boolean }): string {
  const parts = segments(markdown);
  return parts
    .map((part, index) => {
      if (part.code) return defuseMarkers(part.text);
      const previous = parts[index - 1]?.text ?? "";
      const text = neutraliseProse(
        part.text,
        previous.endsWith("\n") ? "" : previous.slice(-1),
        options,
      );
      // A code span added at either end must not touch the document's own code span.
      const lead = text.startsWith("`") && previous.endsWith("`") ? WORD_JOINER : "";
      const next = parts[index + 1]?.text ?? "";
      const trail = /(?<!\\)`$/.test(text) && next.startsWith("`") ? WORD_JOINER : "";
      return `${lead}${text}${trail}`;
    })
    .join("");
}

/**
 * Markdown from a document, made safe for an issue: `@someone` and `@org/team` become code spans
 * (they do not notify anyone) whatever stands before them (emphasis, backslashes, entities), and
 * raw HTML tags are escaped. Code, autolinks (`<https://…>`) and web addresses stay as written.
 */
export function safeMarkdown(markdown: string): string {
  return transform(markdown, { brackets: false });
}

/** Like `safeMarkdown`, for the text of a `[link](…)` in a table cell: brackets escaped, one line. */
export function safeLinkText(markdown: string): string {
  return cell(transform(markdown.replace(/\s*\n\s*/g, " "), { brackets: true }));
}

/**
 * Characters that reorder the text around them (embeddings, overrides, isolates and marks): in a
 * title they can make it read differently from what it says.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function withoutBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * A title shown inside a body (a link's text, a heading, a table cell): one line, brackets
 * escaped (a `]` must not end a link's text early), no mention, no raw HTML, no bidirectional
 * controls.
 */
export function safeTitleText(markdown: string): string {
  return safeLinkText(withoutBidi(markdown));
}

/** Plain text with no mention GitHub would read: an invisible word joiner after each `@`. */
export function safePlainText(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, `$1@${WORD_JOINER}`);
}

/**
 * Plain text from inline markdown: link labels kept, emphasis and code marks dropped. Each pattern
 * stops at the next character that could start another match, so no text is scanned once per mark.
 */
export function plainText(markdown: string): string {
  return dropEmphasis(
    markdown
      .replace(/!\[([^[\]]*)\]\([^)[\n]*\)/g, "$1")
      .replace(/\[([^[\]]*)\]\([^)[\n]*\)/g, "$1")
      .replace(/<(https?:\/\/[^<>\s]+)>/g, "$1")
      .replace(/<[^<>]+>/g, "")
      .replace(/(\*\*|__|~~)(.+?)\1/g, "$2"),
  )
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!|@])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * `*text*` and `_text_` between non-word characters, marks dropped, line by line. A mark opens
 * only if a closing mark is left on its line, so none scans to the line's end in vain (the last
 * closing mark bounds every opening one).
 */
function dropEmphasis(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let last = -1;
      for (let i = line.length - 1; i >= 0 && last === -1; i--)
        if (
          (line[i] === "*" || line[i] === "_") &&
          (i + 1 === line.length || /\W/.test(line[i + 1] ?? ""))
        )
          last = i;
      const head = line.slice(0, last + 1).replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, "$1$2");
      return head + line.slice(last + 1);
    })
    .join("\n");
}

/** An issue title from an action's text: plain, one line, no mentions, within GitHub's limit. */
export function issueTitle(markdown: string, prefix = ""): string {
  const text = safePlainText(withoutBidi(`${prefix}${plainText(markdown)}`)) || "Follow-up action";
  return truncate(text, TITLE_LIMIT);
}

/** At most `limit` characters, with an ellipsis when cut; never splits a surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${sliceWhole(text, limit - 1).trimEnd()}…`;
}

function sliceWhole(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
  return text.slice(0, Math.max(cut, 0));
}

/**
 * Safe markdown cut to at most `limit` characters, at a space and never inside code: a cut in a
 * code span or fenced block would leave it open and let the mentions it holds read as prose (the
 * code spans `safeMarkdown` adds hold no space).
 */
export function truncateMarkdown(markdown: string, limit: number): string {
  if (markdown.length <= limit) return markdown;
  let kept = "";
  for (const part of segments(markdown, false)) {
    if (kept.length + part.text.length > limit - 1) {
      if (!part.code) {
        const room = sliceWhole(part.text, limit - 1 - kept.length);
        const space = room.search(/\s\S*$/);
        kept += space === -1 ? "" : room.slice(0, space);
      }
      break;
    }
    kept += part.text;
  }
  return `${kept.trimEnd()}…`;
}

/** A body ending in `trailer` (the hidden marker), the visible part cut to fit GitHub's limit. */
export function fitBody(visible: string, trailer: string): string {
  const room = BODY_LIMIT - MARKER_SIGNATURE_ROOM - trailer.length - 2;
  return `${truncateMarkdown(visible, room)}\n\n${trailer}`;
}

/** Escapes text placed inside a markdown table cell. */
export function cell(text: string): string {
  // A pipe after an odd run of backslashes is escaped already; another backslash would pair
  // with that one and let the pipe split the cell (and any code span in it).
  return text.replace(/(?<!\\)((?:\\\\)*)\|/g, "$1\\|").replace(/\n/g, " ");
}
