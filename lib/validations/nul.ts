/**
 * Whether any string in a value (nested objects and arrays, keys included) holds a NUL character.
 * PostgreSQL text can't store U+0000, so such input is refused up front with a clear error
 * instead of failing the insert (a 500) halfway through a request.
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes("\u0000") || containsNul(item, depth + 1));
}
