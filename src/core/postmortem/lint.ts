/**
 * Review rules beyond what the parser reports, each with a stable id the config can turn off.
 * The same function serves the pull request check and the CLI, so both say the same thing.
 */
import type { Config } from "../config.js";
import { RULES } from "./findings.js";
import {
  isActionHeading,
  isRootCauseHeading,
  isSummaryHeading,
  isTimelineHeading,
  normalizeHeading,
} from "./headings.js";
import type { Finding, Postmortem } from "./model.js";
import { LINT_RULES, SECTION_FINDINGS, SECTION_OF_FINDING } from "./rule-ids.js";

export interface LintOptions {
  config: Pick<Config, "lint">;
  /** Today (YYYY-MM-DD): due dates before it are in the past at merge time. */
  today: string;
  /**
   * Whether a login can be assigned in the repository; undefined when it cannot be checked
   * (the CLI offline), and the rule is then skipped.
   */
  assignable?: (login: string) => boolean;
}

const SECTION_TESTS: Record<
  Config["lint"]["required_sections"][number],
  (title: string) => boolean
> = {
  summary: isSummaryHeading,
  timeline: isTimelineHeading,
  "root cause": isRootCauseHeading,
  "follow-up actions": isActionHeading,
};

/** The parser's findings plus the review rules, minus the rules the config turns off, in line order. */
const REFUSALS = new Set<string>([RULES.documentTooLarge, RULES.documentTooComplex]);

export function lintPostmortem(pm: Postmortem, options: LintOptions): Finding[] {
  // A document the parser refused to read gets that refusal and nothing else: what it lacks is
  // only what was not read.
  if (pm.findings.some((finding) => REFUSALS.has(finding.rule))) return pm.findings;
  const findings: Finding[] = [
    ...pm.findings.filter((finding) => !SECTION_FINDINGS.has(finding.rule)),
    ...requiredSections(pm, options),
    ...actionRules(pm, options),
  ];
  findings.push(...blamelessLanguage(pm), ...couldBeBetterWithoutAction(pm));
  const disabled = new Set(options.config.lint.disable);
  return findings
    .filter((finding) => !disabled.has(finding.rule))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * The parser's findings as the config wants them shown outside the review (in the tracking
 * issue): without the rules `lint.disable` turns off, and without missing-section findings for
 * sections `lint.required_sections` does not ask for.
 */
export function configuredFindings(findings: Finding[], config: Pick<Config, "lint">): Finding[] {
  const disabled = new Set<string>(config.lint.disable);
  const required = new Set<string>(config.lint.required_sections);
  return findings.filter((finding) => {
    const section = SECTION_OF_FINDING[finding.rule];
    return !disabled.has(finding.rule) && (section === undefined || required.has(section));
  });
}

function requiredSections(pm: Postmortem, { config }: LintOptions): Finding[] {
  const findings: Finding[] = [];
  for (const name of config.lint.required_sections) {
    // No action section at all is the parser's error already (`no-action-section`).
    if (name === "follow-up actions" && pm.findings.some((f) => f.rule === RULES.noActionSection))
      continue;
    const present =
      pm.sections.some((section) => SECTION_TESTS[name](section.title)) ||
      (name === "root cause" && pm.rootCauseState !== "missing") ||
      (name === "follow-up actions" && pm.actionSectionLine !== null) ||
      (name === "summary" && pm.summary !== null);
    if (!present) {
      findings.push({
        level: "warning",
        rule: LINT_RULES.requiredSection,
        message: `the required section "${name}" is missing`,
        line: null,
      });
    }
  }
  return findings;
}

function actionRules(pm: Postmortem, { today, assignable }: LintOptions): Finding[] {
  const findings: Finding[] = [];
  for (const action of pm.actions) {
    if (action.done) continue;
    if (action.due && action.due < today) {
      findings.push({
        level: "warning",
        rule: LINT_RULES.dueInPast,
        message: `the target date ${action.due} is already past`,
        line: action.line,
      });
    }
    if (!assignable) continue;
    for (const login of action.assignees) {
      if (assignable(login)) continue;
      findings.push({
        level: "warning",
        rule: LINT_RULES.ownerNotAssignable,
        message: `${login} cannot be assigned issues in this repository (not a collaborator); the issue will be opened unassigned`,
        line: action.line,
      });
    }
  }
  return findings;
}

/**
 * "fault" only where it is someone's ("Sam's fault", "at fault"), not "faulty disk" or "fault
 * injection"; "lazy" not in "lazy loading".
 */
const BLAME_WORDS =
  /\b(?:(?:my|your|his|her|our|their|\w+['\u2019]s) fault|at fault|fault of|blame[ds]?|blaming|careless(?:ness|ly)?|human errors?|negligen(?:t|ce)|stupid|incompeten(?:t|ce)|should have known|sloppy|lazy(?![- ]?(?:load|init|eval)))\b/i;

/** Words that point at people rather than systems, and people named in the timeline. */
function blamelessLanguage(pm: Postmortem): Finding[] {
  const findings: Finding[] = [];
  const names = [...new Set([...pm.authors, ...pm.actions.flatMap((a) => a.owners)])]
    .map((name) => name.replace(/^@/, "").trim())
    .filter((name) => name.length >= 3 && !name.includes("/") && !/team$/i.test(name));
  for (const section of [pm.timeline].filter((s): s is NonNullable<typeof s> => s !== null)) {
    section.text.split("\n").forEach((text, offset) => {
      const named = names.find((name) =>
        new RegExp(`(?:^|[^\\w@])@?${escapeRegExp(name)}\\b`, "i").test(text),
      );
      if (!named) return;
      findings.push({
        level: "notice",
        rule: LINT_RULES.namesInTimeline,
        message: `the timeline names ${named}: describe roles and systems ("the on-call engineer") instead of people`,
        line: section.line + offset,
      });
    });
  }
  for (const block of pm.prose) {
    const match = block.text.match(BLAME_WORDS);
    if (!match) continue;
    findings.push({
      level: "notice",
      rule: LINT_RULES.blamelessLanguage,
      message: `"${match[0]}" points at people: describe what in the system or process allowed it instead`,
      line: block.line,
    });
  }
  return findings;
}

const STOP_WORDS = new Set([
  "about",
  "after",
  "again",
  "also",
  "been",
  "from",
  "have",
  "into",
  "more",
  "should",
  "some",
  "that",
  "their",
  "them",
  "then",
  "there",
  "this",
  "were",
  "what",
  "when",
  "which",
  "with",
  "would",
]);

/** Content words cut to five letters, so "tooling" meets "tool" and "audits" meets "audit". */
function stems(text: string): Set<string> {
  return new Set(
    normalizeHeading(text)
      .split(" ")
      .filter((word) => word.length >= 4 && !STOP_WORDS.has(word))
      .map((word) => word.slice(0, 5)),
  );
}

/** The same stem, or a four-letter word that starts the other's stem ("tool" and "tooli"). */
function sharesStem(have: Set<string>, stem: string): boolean {
  if (have.has(stem)) return true;
  for (const other of have) if (other.startsWith(stem) || stem.startsWith(other)) return true;
  return false;
}

function couldBeBetterWithoutAction(pm: Postmortem): Finding[] {
  const actionStems = pm.actions.map((action) => stems(action.text));
  return pm.couldBeBetter
    .filter((item) => {
      const wanted = stems(item.text);
      return !actionStems.some((have) => [...wanted].some((stem) => sharesStem(have, stem)));
    })
    .map((item) => ({
      level: "notice" as const,
      rule: LINT_RULES.couldBeBetterWithoutAction,
      message: `"${item.text.length > 60 ? `${item.text.slice(0, 57)}…` : item.text}" could be better, but no action addresses it`,
      line: item.line,
    }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
