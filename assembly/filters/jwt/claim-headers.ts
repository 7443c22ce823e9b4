/**
 * Turning verified claims into request headers: `outputPayloadToHeader`
 * (the payload, base64url-encoded, as Envoy's `forward_payload_header`) and
 * `outputClaimToHeaders` (Envoy's `claim_to_headers`: strings as they are,
 * numbers and booleans in their JSON form; a dotted claim name walks nested
 * objects; other values are not copied).
 */
import { JsonObject, JsonValue } from "../../sdk";

function claimAt(payload: JsonObject, claim: string): JsonValue | null {
  const direct = payload.get(claim);
  if (direct !== null) return direct;
  const parts = claim.split(".");
  if (parts.length < 2) return null;
  let current: JsonObject | null = payload;
  let value: JsonValue | null = null;
  for (let i = 0; i < parts.length; i++) {
    if (current === null) return null;
    value = current.get(unchecked(parts[i]));
    if (value === null) return null;
    current = value.asObject();
  }
  return value;
}

function integerText(number: f64): string {
  if (number == Math.floor(number) && Math.abs(number) < 9007199254740992) return (<i64>number).toString();
  return number.toString();
}

/** The header value for `claim`, or null when the claim is absent or not a scalar. */
export function claimHeaderValue(payload: JsonObject, claim: string): string | null {
  const value = claimAt(payload, claim);
  if (value === null) return null;
  if (value.isString) return value.asString();
  if (value.isNumber) return integerText(value.asNumber());
  if (value.isBool) return value.asBool() ? "true" : "false";
  return null;
}
