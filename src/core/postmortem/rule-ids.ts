/**
 * Every rule id the review can report, in one place the config schema can import without the
 * review itself (so the config and the review do not import each other).
 */
import { RULES } from "./findings.js";

export const LINT_RULES = {
  requiredSection: "required-section",
  ownerNotAssignable: "owner-not-assignable",
  dueInPast: "due-in-past",
  blamelessLanguage: "blameless-language",
  namesInTimeline: "names-in-timeline",
  couldBeBetterWithoutAction: "could-be-better-without-action",
} as const;

/**
 * The parser's own "no summary / timeline / root cause section" findings: `required-section` says
 * the same, following `lint.required_sections`, so they are left out here.
 */
export const SECTION_OF_FINDING: Readonly<Record<string, "summary" | "timeline" | "root cause">> = {
  [RULES.missingSummary]: "summary",
  [RULES.missingTimeline]: "timeline",
  [RULES.rootCauseMissing]: "root cause",
};
export const SECTION_FINDINGS: ReadonlySet<string> = new Set(Object.keys(SECTION_OF_FINDING));

/** Every rule id `lintPostmortem` can report, in a stable order: the ids `lint.disable` accepts. */
export const LINT_RULE_IDS: readonly string[] = [
  ...Object.values(RULES).filter((id) => !SECTION_FINDINGS.has(id)),
  ...Object.values(LINT_RULES),
];
