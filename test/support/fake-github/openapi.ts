import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Base URI under which the converted component schemas are registered with ajv. */
export const SPEC_ID = "https://fake-github.invalid/openapi.json";

export type Json = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Json;
}

export interface MediaTypeObject {
  schema?: Json;
}

export interface ResponseObject {
  content?: Record<string, MediaTypeObject>;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
  docsUrl: string;
}

export interface RouteMatch {
  op: Operation;
  /** Path parameters, URL-decoded, still strings. */
  params: Record<string, string>;
}

interface Spec {
  paths: Record<string, Record<string, Json>>;
  components: {
    schemas: Record<string, Json>;
    parameters: Record<string, Json>;
    responses: Record<string, Json>;
  };
}

interface Route {
  regex: RegExp;
  names: string[];
  literals: number;
  greedy: number;
  op: Operation;
}

const METHODS = ["get", "post", "put", "patch", "delete"];
/** Final path parameters that may contain slashes (file paths, refs, `base...head`). */
const GREEDY = new Set(["path", "ref", "basehead", "branch"]);

let spec: Spec | undefined;
let routes: Map<string, Route[]> | undefined;
let operations: Map<string, Operation> | undefined;

/** The official description is 13 MB: read it once per process. */
export function loadSpec(): Spec {
  if (!spec) {
    const file = createRequire(import.meta.url).resolve(
      "@octokit/openapi/generated/api.github.com.json",
    );
    spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  }
  return spec;
}

export function resolveRef<T = Json>(node: unknown): T {
  let current = node as Json;
  const seen = new Set<string>();
  while (typeof current?.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    let target: unknown = loadSpec();
    for (const part of ref.replace(/^#\//, "").split("/")) {
      target = (target as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    current = target as Json;
  }
  return current as T;
}

function buildRoute(method: string, template: string, pathItem: Json, raw: Json): Route {
  const names: string[] = [];
  let literals = 0;
  let greedy = 0;
  const segments = template.split("/").slice(1);
  let pattern = "";
  segments.forEach((segment, index) => {
    const whole = /^\{(\w+)\}$/.exec(segment);
    const name = whole?.[1];
    if (name && index === segments.length - 1 && GREEDY.has(name)) {
      names.push(name);
      greedy++;
      pattern += name === "path" ? "(?:/(.*))?" : "/(.+)";
      return;
    }
    if (!segment.includes("{")) literals++;
    pattern += `/${segment
      .split(/(\{\w+\})/)
      .map((part) => {
        const param = /^\{(\w+)\}$/.exec(part)?.[1];
        if (param) {
          names.push(param);
          return "([^/]+)";
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("")}`;
  });
  const parameters = new Map<string, Parameter>();
  for (const p of [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((raw.parameters as unknown[]) ?? []),
  ]) {
    const resolved = resolveRef<Parameter>(p);
    parameters.set(`${resolved.in}:${resolved.name}`, resolved);
  }
  const docs = raw.externalDocs as { url?: string } | undefined;
  const op: Operation = {
    operationId: raw.operationId as string,
    method: method.toUpperCase(),
    template,
    parameters: [...parameters.values()],
    requestBody: raw.requestBody ? resolveRef(raw.requestBody) : undefined,
    responses: raw.responses as Record<string, ResponseObject>,
    docsUrl: docs?.url ?? "https://docs.github.com/rest",
  };
  return { regex: new RegExp(`^${pattern}$`), names, literals, greedy, op };
}

function buildRoutes(): Map<string, Route[]> {
  const table = new Map<string, Route[]>();
  operations = new Map();
  for (const [template, pathItem] of Object.entries(loadSpec().paths)) {
    for (const method of METHODS) {
      const raw = pathItem[method] as Json | undefined;
      if (!raw) continue;
      const route = buildRoute(method, template, pathItem, raw);
      const list = table.get(route.op.method) ?? [];
      list.push(route);
      table.set(route.op.method, list);
      operations.set(route.op.operationId, route.op);
    }
  }
  // Most literal segments first, so `/issues/comments` beats `/issues/{issue_number}`.
  for (const list of table.values()) {
    list.sort((a, b) => b.literals - a.literals || a.greedy - b.greedy);
  }
  return table;
}

export function operationById(operationId: string): Operation | undefined {
  if (!routes) routes = buildRoutes();
  return operations?.get(operationId);
}

export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  if (!routes) routes = buildRoutes();
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  for (const route of routes.get(method.toUpperCase()) ?? []) {
    const m = route.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    let ok = true;
    route.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1] ?? "");
      } catch {
        ok = false;
      }
    });
    if (ok) return { op: route.op, params };
  }
  return undefined;
}

const KEEP = new Set([
  "type",
  "enum",
  "const",
  "format",
  "required",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
]);

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The description sometimes writes `allOf: [Simple User, Enterprise]` where the component
 * schema for the same field says `anyOf` (installation `account`): no account is both.
 */
function alternatives(members: unknown[]): boolean {
  return (
    members.length > 1 &&
    members.every((m) => isObject(m) && m.type === "object" && typeof m.title === "string")
  );
}

function withNull(schema: Json): Json {
  if (typeof schema.type === "string" && !schema.allOf && !schema.anyOf && !schema.oneOf) {
    const out: Json = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null))
      out.enum = [...schema.enum, null];
    return out;
  }
  return { anyOf: [schema, { type: "null" }] };
}

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a `null` alternative, `$ref`s
 * point at the registered spec, annotations (`example`, `description`, `discriminator`…) go.
 */
export function toJsonSchema(node: unknown): unknown {
  if (!isObject(node)) return node;
  if (typeof node.$ref === "string") {
    return { $ref: node.$ref.startsWith("#/") ? SPEC_ID + node.$ref : node.$ref };
  }
  const out: Json = {};
  let nullable = node.nullable === true;
  for (const [key, value] of Object.entries(node)) {
    if (KEEP.has(key)) out[key] = value;
    else if (key === "properties" && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else if (key === "items" || key === "not") out[key] = toJsonSchema(value);
    else if (key === "additionalProperties") {
      out[key] = typeof value === "boolean" ? value : toJsonSchema(value);
    } else if (key === "allOf" && Array.isArray(value) && alternatives(value)) {
      out.anyOf = value.map(toJsonSchema);
    } else if ((key === "allOf" || key === "anyOf") && Array.isArray(value)) {
      out[key] = value.map(toJsonSchema);
    } else if (key === "oneOf" && Array.isArray(value)) {
      // Several nullable branches would all match `null` and break `oneOf`: hoist the null.
      const nullableBranches = value.filter((b) => isObject(b) && b.nullable === true).length;
      if (nullableBranches > 1) {
        nullable = true;
        out.oneOf = value.map((b) => toJsonSchema(isObject(b) ? { ...b, nullable: false } : b));
      } else out.oneOf = value.map(toJsonSchema);
    }
  }
  return nullable ? withNull(out) : out;
}

/** Every component schema, converted, as one document ajv can resolve `$ref`s into. */
export function convertedComponents(): Json {
  const schemas: Json = {};
  for (const [name, schema] of Object.entries(loadSpec().components.schemas)) {
    schemas[name] = toJsonSchema(schema);
  }
  return { $id: SPEC_ID, components: { schemas } };
}
