/** The findings the parser reports, by stable rule id. */
import type { Finding, FindingLevel } from "./model.js";

export const RULES = {
  documentTooLarge: "document-too-large",
  documentTooComplex: "document-too-complex",
  frontMatterInvalid: "front-matter-invalid",
  noActionSection: "no-action-section",
  actionNoOwner: "action-no-owner",
  ownerNotMapped: "owner-not-mapped",
  teamOwner: "team-owner",
  broadcastMention: "broadcast-mention",
  actionNoDue: "action-no-due",
  dateUnparseable: "date-unparseable",
  dateAmbiguous: "date-ambiguous",
  dateBeforeIncident: "date-before-incident",
  noIncidentDate: "no-incident-date",
  incidentDateAssumed: "incident-date-assumed",
  duplicateAction: "duplicate-action",
  malformedTable: "malformed-table",
  emptyActionRow: "empty-action-row",
  rootCauseMissing: "root-cause-missing",
  rootCauseUnknown: "root-cause-unknown",
  missingSummary: "missing-summary",
  missingTimeline: "missing-timeline",
  timelineNoTimezone: "timeline-no-timezone",
  doneByPastTense: "done-by-past-tense",
  textNotRead: "text-not-read",
  actionInferred: "action-inferred",
  placeholderRow: "placeholder-row",
} as const;

/**
 * Findings only an open action gets (no owner, no due date…): moot once the action is done, so a
 * done mark takes them away and the tracking issue does not list them for a completed action.
 */
export const OPEN_ACTION_RULES: ReadonlySet<string> = new Set([
  RULES.actionNoOwner,
  RULES.ownerNotMapped,
  RULES.teamOwner,
  RULES.actionNoDue,
  RULES.dateBeforeIncident,
]);

export type RuleId = (typeof RULES)[keyof typeof RULES];

export class Findings {
  readonly list: Finding[] = [];

  add(level: FindingLevel, rule: RuleId, message: string, line: number | null): void {
    this.list.push({ level, rule, message, line });
  }

  error(rule: RuleId, message: string, line: number | null): void {
    this.add("error", rule, message, line);
  }

  warning(rule: RuleId, message: string, line: number | null): void {
    this.add("warning", rule, message, line);
  }

  notice(rule: RuleId, message: string, line: number | null): void {
    this.add("notice", rule, message, line);
  }

  /** In document order; findings about the whole document first. */
  sorted(): Finding[] {
    return [...this.list].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }
}
