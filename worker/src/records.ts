// Validation of the organiser's JSON objects (events, discount rules, consignors, items):
// each field has a type, a default or "required", and a range; a bad value is a 400 naming it.

import { HttpError, invalid, isObject } from "./http";
import { ID_RE } from "./schema";

export { ID_RE };

export type Scalar = string | number | null;

interface Field {
  name: string;
  type: "id" | "text" | "int" | "bool" | "date" | "time";
  required?: boolean;
  fallback?: Scalar;
  oneOf?: readonly string[];
  max?: number;
}

const f = (name: string, type: Field["type"], extra: Partial<Field> = {}): Field => ({ name, type, ...extra });
const REQUIRED = { required: true } as const;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?$/;
const MAX_TEXT = 1000;

export const EVENT_FIELDS: readonly Field[] = [
  f("name", "text", REQUIRED), f("starts_on", "date", REQUIRED), f("ends_on", "date", REQUIRED),
  f("location", "text", { fallback: "" }), f("timezone", "text", { fallback: "UTC" }),
  f("status", "text", { fallback: "draft", oneOf: ["draft", "published", "cancelled", "completed"] }),
  f("tax_rate_bp", "int", { fallback: 0, max: 10_000 }),
];

export const RULE_FIELDS: readonly Field[] = [
  f("id", "id", REQUIRED), f("starts_at", "time", REQUIRED), f("ends_at", "time", { fallback: null }),
  f("percent_bp", "int", { required: true, max: 10_000 }),
];

export const CONSIGNOR_FIELDS: readonly Field[] = [
  f("number", "int", REQUIRED), f("id", "id", { fallback: null }), f("name", "text", REQUIRED),
  f("email", "text", { fallback: "" }), f("phone", "text", { fallback: "" }),
  f("split_bp", "int", { fallback: 6500, max: 10_000 }),
];

export const ITEM_FIELDS: readonly Field[] = [
  f("id", "id", REQUIRED), f("consignor_number", "int", REQUIRED), f("item_number", "int", REQUIRED),
  f("tag_code", "id", REQUIRED), f("description", "text", { fallback: "" }),
  f("category", "text", { fallback: "" }), f("size", "text", { fallback: "" }),
  f("price_cents", "int", REQUIRED),
  f("condition", "text", { fallback: "good", oneOf: ["new", "like_new", "good", "fair"] }),
  f("discountable", "bool", { fallback: 1 }), f("donate_if_unsold", "bool", { fallback: 0 }),
  f("status", "text", { fallback: "approved", oneOf: ["pending", "approved", "rejected", "sold", "returned"] }),
];

export function names(fields: readonly Field[]): string[] {
  return fields.map((field) => field.name);
}

/** The object's values in `fields` order, defaults filled in; 400 on the first bad one. */
export function record(value: unknown, fields: readonly Field[], where: string): Scalar[] {
  if (!isObject(value)) throw invalid("Must be a JSON object", where);
  return fields.map((field) => scalar(field, value[field.name], `${where}.${field.name}`));
}

function scalar(field: Field, value: unknown, where: string): Scalar {
  if (value === undefined || value === null) {
    if (field.required) throw invalid(`${field.name} is required`, where);
    return field.fallback ?? null;
  }
  if (field.type === "int" || field.type === "bool") {
    if (field.type === "bool" && typeof value === "boolean") return value ? 1 : 0;
    const max = field.type === "bool" ? 1 : field.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > max) {
      throw invalid(`${field.name} must be a whole number from 0 to ${max}`, where);
    }
    return value;
  }
  if (typeof value !== "string") throw invalid(`${field.name} must be a string`, where);
  const ok = field.type === "id" ? ID_RE.test(value)
    : field.type === "date" ? DATE_RE.test(value)
    : field.type === "time" ? TIME_RE.test(value)
    : value.length <= MAX_TEXT;
  if (!ok) throw invalid(`${field.name} is not a valid ${field.type}`, where);
  if (field.oneOf && !field.oneOf.includes(value)) {
    throw invalid(`${field.name} must be one of ${field.oneOf.join(", ")}`, where);
  }
  return value;
}

/** The array under `key` of a body object, 400 when missing and 413 over `max` entries. */
export function listOf(body: unknown, key: string, max: number): unknown[] {
  if (!isObject(body) || !Array.isArray(body[key])) throw invalid(`${key} must be an array`, key);
  const rows = body[key] as unknown[];
  if (rows.length > max) throw new HttpError(413, "too_large", `At most ${max} ${key} per call`, { field: key });
  return rows;
}
