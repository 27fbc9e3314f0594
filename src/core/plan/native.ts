/**
 * Issue types and organization issue fields: what the config asks for, resolved against what the
 * repository's owner defines, and what each issue should carry. Pure. Anything the owner does not
 * define is a finding (in the PR check and the log), never a failed sync.
 */
import type { Config } from "../config.js";
import type { Finding } from "../postmortem/model.js";
import type { IssueFieldDef, IssueState } from "./model.js";

/** What the owner defines; null for a part GitHub has none of here (404), or that was not read. */
export interface NativeCatalog {
  types: string[] | null;
  fields: IssueFieldDef[] | null;
}

export interface NativeSetup {
  actionType: string | null;
  trackingType: string | null;
  due: IssueFieldDef | null;
  priority: IssueFieldDef | null;
  findings: Finding[];
}

/** A value for an organization issue field, as GitHub takes it (a select: the option's name). */
export interface FieldValue {
  field_id: number;
  value: string | number;
}

/** Whether the config asks for anything native (else nothing is read). */
export function wantsNative(config: Config): boolean {
  return Boolean(
    config.issue_type || config.tracking.issue_type || config.fields.due || config.fields.priority,
  );
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function resolveNative(config: Config, catalog: NativeCatalog | null): NativeSetup {
  const findings: Finding[] = [];
  const finding = (rule: string, message: string) =>
    findings.push({ level: "warning", rule, message, line: null });
  const type = (name: string | null, of: string): string | null => {
    if (!name) return null;
    const found = catalog?.types?.find((t) => same(t, name));
    if (found) return found;
    finding(
      "issue-type",
      catalog?.types
        ? `issue type "${name}" (for ${of}) is not one the repository's owner defines (${catalog.types.join(", ") || "none"}): ${of} get no type`
        : `issue types are not available in this repository: ${of} get no type "${name}"`,
    );
    return null;
  };
  const field = (name: string | undefined, dataType: string, use: string) => {
    if (!name) return null;
    const found = catalog?.fields?.find((f) => same(f.name, name));
    if (found && found.dataType === dataType) return found;
    finding(
      "issue-field",
      !catalog?.fields
        ? `organization issue fields are not available here (or the app lacks the "Issue Fields" organization permission): the ${use} is not set in "${name}"`
        : found
          ? `issue field "${name}" is a ${found.dataType} field, not ${dataType}: the ${use} is not set in it`
          : `no organization issue field is named "${name}": the ${use} is not set`,
    );
    return null;
  };
  return {
    actionType: type(config.issue_type, "action issues"),
    trackingType: type(config.tracking.issue_type, "tracking issues"),
    due: field(config.fields.due, "date", "target date"),
    priority: field(config.fields.priority, "single_select", "priority"),
    findings,
  };
}

/** The field values an action wants, and a finding for a priority the field has no option for. */
export function actionFields(
  setup: NativeSetup,
  action: { due: string | null; priority: string | null; line: number; text: string },
): { values: FieldValue[]; findings: Finding[] } {
  const values: FieldValue[] = [];
  const findings: Finding[] = [];
  if (setup.due && action.due) values.push({ field_id: setup.due.id, value: action.due });
  const { priority } = setup;
  if (priority && action.priority) {
    const option = priority.options.find((o) => same(o, action.priority as string));
    if (option) values.push({ field_id: priority.id, value: option });
    else
      findings.push({
        level: "warning",
        rule: "issue-field",
        message: `"${priority.name}" has no option "${action.priority}" (it has ${priority.options.join(", ") || "none"}): the priority is not set`,
        line: action.line,
      });
  }
  return { values, findings };
}

/**
 * What to change on an existing issue: its type only where it has none (a type a person chose
 * stays), and the field values that differ from the document's.
 */
export function nativePatch(
  issue: IssueState,
  type: string | null,
  values: FieldValue[],
): { type?: string; issue_field_values?: FieldValue[] } | null {
  const patch: { type?: string; issue_field_values?: FieldValue[] } = {};
  // Null: GitHub says it has none (absent: this server does not say, so nothing is written).
  if (type && issue.type === null) patch.type = type;
  const differing = values.filter((v) => issue.fields?.[String(v.field_id)] !== v.value);
  if (differing.length > 0) patch.issue_field_values = differing;
  return Object.keys(patch).length > 0 ? patch : null;
}

export type NativeIssuePatch = NonNullable<ReturnType<typeof nativePatch>>;

/** Types and fields for one document's issues. */
export interface NativePlan {
  findings: Finding[];
  trackingType: string | null;
  /** For the issues the plan opens, by action index. */
  forCreate: Map<number, { type: string | null; fields: FieldValue[] }>;
  /** Existing issues to change (the tracking issue among them). */
  patches: { issue: IssueState; patch: NativeIssuePatch }[];
}

export interface NativeAction {
  index: number;
  action: { due: string | null; priority: string | null; line: number; text: string };
  /** The existing issue; null when the plan opens one. */
  issue: IssueState | null;
}

export function planNative(
  setup: NativeSetup,
  tracking: IssueState | null,
  actions: NativeAction[],
): NativePlan {
  const plan: NativePlan = {
    findings: [...setup.findings],
    trackingType: setup.trackingType,
    forCreate: new Map(),
    patches: [],
  };
  const trackingPatch = tracking && nativePatch(tracking, setup.trackingType, []);
  if (tracking && trackingPatch) plan.patches.push({ issue: tracking, patch: trackingPatch });
  for (const { index, action, issue } of actions) {
    const { values, findings } = actionFields(setup, action);
    plan.findings.push(...findings);
    if (!issue) plan.forCreate.set(index, { type: setup.actionType, fields: values });
    else {
      const patch = nativePatch(issue, setup.actionType, values);
      if (patch) plan.patches.push({ issue, patch });
    }
  }
  return plan;
}
