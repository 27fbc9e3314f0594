/** The plain data a post-mortem document parses into. Shared by parse, plan, render and the CLI. */

export type FindingLevel = "error" | "warning" | "notice";

/** Something the parser (or a lint rule) is unsure of or objects to. Never silently dropped. */
export interface Finding {
  level: FindingLevel;
  /** A stable id, so rules can be turned off in the config and matched across runs. */
  rule: string;
  message: string;
  /** 1-based line in the document, or null when the finding is about the whole document. */
  line: number | null;
}

export interface Action {
  /** The action as written (inline markdown kept), without status markers or owner/date cells. */
  text: string;
  /** Further markdown that belongs to the action (nested lists, paragraphs, images), or null. */
  details: string | null;
  /** Owners as written in the document ("Susan J", "@octocat", "@org/sre"). */
  owners: string[];
  /** Owners resolved to GitHub logins (through `people:` or an explicit `@login`). */
  assignees: string[];
  /** Team owners (`@org/team`): shown, never assigned. */
  teams: string[];
  /** Target date as `YYYY-MM-DD`, or null when none or when it could not be understood. */
  due: string | null;
  /** The due date as written, or null. */
  dueRaw: string | null;
  done: boolean;
  /** An issue or PR the action already links: a URL or `#N`. */
  link: string | null;
  type: string | null;
  priority: string | null;
  /** The sub-heading the action stands under inside the action section. */
  category: string | null;
  /** 1-based line where the action starts. */
  line: number;
  /** True for the "find the root cause" action added when the root cause is unknown. */
  generated: boolean;
  /**
   * The text the identity key is computed from, when it differs from `text`: the text as earlier
   * versions of the parser read it (before a sub-list joined it, or an owner prefix left it), so
   * an issue synced then keeps its key.
   */
  keyText?: string;
  /**
   * How an action not written as a list item or table row of an action section was found: a
   * sentence, a sub-heading, an inline marker, or a section such as "Mitigation" read because the
   * document has no action section.
   */
  inferred?: "prose" | "heading" | "marker" | "section";
}

export type RootCauseState = "present" | "missing" | "tbd";

export interface Postmortem {
  /** Repository path of the document, or the file name the CLI was given. */
  path: string;
  title: string;
  /** Incident date `YYYY-MM-DD`, or null. */
  date: string | null;
  /** Where the incident date came from. */
  dateSource: "front-matter" | "document" | "title" | "path" | "timeline" | "fallback" | null;
  /** `id` from the front matter, when present. */
  id: string | null;
  /** Authors or owner as written (front matter or an "Authors:" line). */
  authors: string[];
  /** Authors resolved to logins. */
  authorLogins: string[];
  severity: string | null;
  status: string | null;
  summary: string | null;
  rootCause: string | null;
  rootCauseState: RootCauseState;
  /** Line of the action section heading (or of the first action table), or null. */
  actionSectionLine: number | null;
  /** Items listed under "Could Be Better" / "What went wrong", for the lint rule that pairs them with actions. */
  couldBeBetter: { text: string; line: number }[];
  /** The timeline section's text and line, for lint rules (time zone, blameless language). */
  timeline: { text: string; line: number } | null;
  /** Paragraphs, list items, table cells and headings as plain text with their line (no code), for lint rules. */
  prose: { text: string; line: number }[];
  /** Top-level section headings in order (normalized text and line). */
  sections: { title: string; line: number; depth: number }[];
  actions: Action[];
  /** Issues the document refers to as its incident (front matter `incident:`, `#123`, issue links). */
  incidents?: number[];
  findings: Finding[];
}
