/**
 * HTML pages that show the app's markdown the way GitHub lays it out: an issue page and a check
 * run page. The markdown goes through GFM (tables, task lists, strikethrough) to HTML; mentions
 * and issue references become links as GitHub makes them. The style sheet is scripts/github.css.
 */
import { readFileSync } from "node:fs";
import type { Element, ElementContent, Root, Text } from "hast";
import rehypeRaw from "rehype-raw";
import rehypeStringify from "rehype-stringify";
import { remark } from "remark";
import remarkGfm from "remark-gfm";
import remarkRehype from "remark-rehype";

const CSS = readFileSync(new URL("./github.css", import.meta.url), "utf8");

export interface IssuePage {
  repo: string;
  number: number;
  title: string;
  state: "open" | "closed";
  author: string;
  body: string;
  assignees: string[];
  labels: { name: string; color: string }[];
  milestone: string | null;
}

export interface CheckPage {
  repo: string;
  pullTitle: string;
  pullNumber: number;
  name: string;
  conclusion: string;
  title: string;
  summary: string;
  annotations: { path: string; line: number; level: string; title: string; message: string }[];
}

export async function markdownToHtml(markdown: string): Promise<string> {
  const file = await remark()
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeRaw)
    .use(() => autolink)
    .use(rehypeStringify)
    .process(markdown);
  return String(file);
}

/** `@login`, `@org/team` and `#12` in text become links, outside code and existing links. */
function autolink(tree: Root): void {
  const walk = (node: Root | Element): void => {
    const children: ElementContent[] = [];
    for (const child of node.children as ElementContent[]) {
      if (child.type === "text") children.push(...linkify(child));
      else {
        if (child.type === "element" && !["a", "code", "pre"].includes(child.tagName)) walk(child);
        children.push(child);
      }
    }
    node.children = children as typeof node.children;
  };
  walk(tree);
}

const REFERENCE = /(^|[^\w`])(@[A-Za-z0-9-]+(?:\/[A-Za-z0-9-]+)?|#\d+)\b/g;

function linkify(text: Text): ElementContent[] {
  const out: ElementContent[] = [];
  let last = 0;
  for (const match of text.value.matchAll(REFERENCE)) {
    const start = (match.index ?? 0) + (match[1]?.length ?? 0);
    const ref = match[2] ?? "";
    if (start > last) out.push({ type: "text", value: text.value.slice(last, start) });
    out.push({
      type: "element",
      tagName: "a",
      properties: { className: [ref.startsWith("@") ? "mention" : "issue-ref"], href: "#" },
      children: [{ type: "text", value: ref }],
    });
    last = start + ref.length;
  }
  if (last < text.value.length) out.push({ type: "text", value: text.value.slice(last) });
  return out.length > 0 ? out : [text];
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A label's text colour, light or dark by the background's luminance, as GitHub picks it. */
function labelStyle(color: string): string {
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(color.slice(i, i + 2), 16) / 255);
  const luminance = 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  return `background:#${color};color:${luminance > 0.6 ? "#1f2328" : "#ffffff"}`;
}

const ICON_OPEN = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" stroke-width="1.5"/><circle cx="8" cy="8" r="1.6" fill="currentColor"/></svg>`;
const ICON_CHECK = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M3 8.5l3 3 7-7" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const ICON_WARNING = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M8 1.8L15 14H1z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M8 6v4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="12" r="0.9" fill="currentColor"/></svg>`;
const ICON_FAILURE = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M5.5 5.5l5 5m0-5l-5 5" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/></svg>`;
const ICON_NOTICE = `<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle cx="8" cy="8" r="6.25" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M8 7v4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/><circle cx="8" cy="4.8" r="0.9" fill="currentColor"/></svg>`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>${body}<script>
// The screenshot script reads the height the page needs from here.
document.title = String(Math.ceil(document.documentElement.getBoundingClientRect().height));
</script></body></html>`;
}

function avatar(login: string): string {
  const hue = [...login].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  return `<span class="avatar" style="background:hsl(${hue} 45% 55%)">${escapeHtml(login[0]?.toUpperCase() ?? "?")}</span>`;
}

export async function issuePage(issue: IssuePage): Promise<string> {
  // GitHub shows an app's bot account by its name, with a "bot" badge.
  const bot = issue.author.endsWith("[bot]");
  const author = issue.author.replace(/\[bot\]$/, "");
  const state =
    issue.state === "open"
      ? `<span class="state state-open">${ICON_OPEN} Open</span>`
      : `<span class="state state-closed">${ICON_CHECK} Closed</span>`;
  const labels = issue.labels
    .map((l) => `<span class="label" style="${labelStyle(l.color)}">${escapeHtml(l.name)}</span>`)
    .join(" ");
  const assignees = issue.assignees.length
    ? issue.assignees.map((a) => `<div class="person">${avatar(a)} ${escapeHtml(a)}</div>`).join("")
    : `<div class="muted">No one assigned</div>`;
  const body = `<div class="container">
  <div class="repo-head"><span class="muted">${escapeHtml(issue.repo.split("/")[0] ?? "")} /</span> <strong>${escapeHtml(issue.repo.split("/")[1] ?? "")}</strong></div>
  <h1 class="issue-title">${escapeHtml(issue.title)} <span class="muted">#${issue.number}</span></h1>
  <div class="issue-meta">${state} <span class="muted"><strong>${escapeHtml(author)}</strong> opened this issue</span></div>
  <div class="layout">
    <div class="discussion">
      <div class="comment">${avatar(author)}
        <div class="comment-box">
          <div class="comment-head"><strong>${escapeHtml(author)}</strong>${bot ? ' <span class="bot">bot</span>' : ""} <span class="muted">opened</span></div>
          <div class="markdown-body">${await markdownToHtml(issue.body)}</div>
        </div>
      </div>
    </div>
    <div class="sidebar">
      <div class="side"><div class="side-head">Assignees</div>${assignees}</div>
      <div class="side"><div class="side-head">Labels</div>${labels || `<div class="muted">None yet</div>`}</div>
      <div class="side"><div class="side-head">Milestone</div>${issue.milestone ? `<div>${escapeHtml(issue.milestone)}</div>` : `<div class="muted">No milestone</div>`}</div>
    </div>
  </div>
</div>`;
  return page(issue.title, body);
}

const LEVEL_ICON: Record<string, string> = {
  failure: ICON_FAILURE,
  warning: ICON_WARNING,
  notice: ICON_NOTICE,
};

export async function checkPage(check: CheckPage): Promise<string> {
  const icon =
    check.conclusion === "success"
      ? ICON_CHECK
      : check.conclusion === "failure"
        ? ICON_FAILURE
        : ICON_WARNING;
  const annotations = check.annotations
    .map(
      (a) => `<div class="annotation annotation-${a.level}">
  <div class="annotation-head">${LEVEL_ICON[a.level] ?? ""} <strong>${escapeHtml(a.title)}</strong> <span class="muted">${escapeHtml(a.path)}#L${a.line}</span></div>
  <div class="annotation-message">${escapeHtml(a.message)}</div>
</div>`,
    )
    .join("");
  const body = `<div class="container">
  <div class="repo-head"><span class="muted">${escapeHtml(check.repo.split("/")[0] ?? "")} /</span> <strong>${escapeHtml(check.repo.split("/")[1] ?? "")}</strong></div>
  <h1 class="issue-title">${escapeHtml(check.pullTitle)} <span class="muted">#${check.pullNumber}</span></h1>
  <div class="tabs"><span>Conversation</span><span>Commits</span><span class="tab-selected">Checks</span><span>Files changed</span></div>
  <div class="layout">
    <div class="checks-list">
      <div class="checks-app">${avatar("Follow-Through")} Follow-Through</div>
      <div class="checks-item checks-item-selected conclusion-${check.conclusion}">${icon} ${escapeHtml(check.name)}</div>
    </div>
    <div class="check-main">
      <h2 class="check-name conclusion-${check.conclusion}">${icon} ${escapeHtml(check.name)}</h2>
      <div class="check-title">${escapeHtml(check.title)}</div>
      <div class="annotations-box"><div class="side-head">Annotations</div>${annotations}</div>
      <div class="markdown-body">${await markdownToHtml(check.summary)}</div>
    </div>
  </div>
</div>`;
  return page(check.name, body);
}
