/** An organization's issue types and issue fields, and how issues carry them. */
import { validationFailed } from "./http.js";
import type { Rest } from "./render-accounts.js";
import { nodeId } from "./render-accounts.js";

export interface IssueTypeRecord {
  id: number;
  name: string;
  description: string | null;
  color: "gray" | "blue" | "green" | "yellow" | "orange" | "red" | "pink" | "purple" | null;
  createdAt: Date;
}

export type FieldDataType = "text" | "date" | "single_select" | "multi_select" | "number";

export interface IssueFieldRecord {
  id: number;
  name: string;
  dataType: FieldDataType;
  options: { id: number; name: string; color: "gray" | "blue" | "red" }[];
  createdAt: Date;
}

/** One organization's definitions. */
export class OrgIssueMeta {
  readonly types: IssueTypeRecord[] = [];
  readonly fields: IssueFieldRecord[] = [];

  /** The type named so (case-insensitive), or a 422 like GitHub's for an unknown one. */
  typeNamed(name: string): IssueTypeRecord {
    const found = this.types.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!found)
      throw validationFailed([
        { resource: "Issue", code: "invalid", field: "type", value: name, message: "not found" },
      ]);
    return found;
  }

  /** Checks field values as GitHub does; answers them by field id (a select by option id). */
  fieldValues(values: unknown): Map<number, string | number> {
    const out = new Map<number, string | number>();
    const invalid = (message: string) =>
      validationFailed([
        { resource: "IssueFieldValue", code: "invalid", field: "issue_field_values", message },
      ]);
    for (const item of (values as { field_id: number; value: unknown }[]) ?? []) {
      const field = this.fields.find((f) => f.id === item.field_id);
      if (!field) throw invalid(`no issue field with id ${item.field_id}`);
      const value = item.value;
      if (field.dataType === "date") {
        if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value))
          throw invalid(`${field.name} takes a date (YYYY-MM-DD)`);
        out.set(field.id, value);
      } else if (field.dataType === "single_select") {
        const option = field.options.find((o) => o.name === value);
        if (!option) throw invalid(`${field.name} has no option ${JSON.stringify(value)}`);
        out.set(field.id, option.id);
      } else if (field.dataType === "number") {
        if (typeof value !== "number") throw invalid(`${field.name} takes a number`);
        out.set(field.id, value);
      } else if (typeof value === "string") out.set(field.id, value);
      else throw invalid(`${field.name} takes text`);
    }
    return out;
  }
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export function renderIssueType(type: IssueTypeRecord): Rest {
  return {
    id: type.id,
    node_id: nodeId("IT", type.id),
    name: type.name,
    description: type.description,
    color: type.color,
    created_at: iso(type.createdAt),
    updated_at: iso(type.createdAt),
    is_enabled: true,
  };
}

export function renderIssueField(field: IssueFieldRecord): Rest {
  return {
    id: field.id,
    node_id: nodeId("IFT", field.id),
    name: field.name,
    description: null,
    data_type: field.dataType,
    visibility: "all",
    ...(field.dataType === "single_select" || field.dataType === "multi_select"
      ? {
          options: field.options.map((o, i) => ({
            id: o.id,
            name: o.name,
            description: null,
            color: o.color,
            priority: i + 1,
            created_at: iso(field.createdAt),
            updated_at: iso(field.createdAt),
          })),
        }
      : {}),
    created_at: iso(field.createdAt),
    updated_at: iso(field.createdAt),
  };
}

/** An issue's field values as issues show them. */
export function renderFieldValues(
  meta: OrgIssueMeta,
  values: Map<number, string | number>,
): Rest[] {
  return [...values].flatMap(([id, value]) => {
    const field = meta.fields.find((f) => f.id === id);
    if (!field) return [];
    const option =
      field.dataType === "single_select" ? field.options.find((o) => o.id === value) : undefined;
    return [
      {
        issue_field_id: field.id,
        node_id: nodeId("IFV", field.id),
        data_type: field.dataType,
        value: option ? option.name : value,
        ...(option
          ? { single_select_option: { id: option.id, name: option.name, color: option.color } }
          : {}),
      },
    ];
  });
}
