/**
 * Envoy's `response.flags` bitmask as the short string Istio reports
 * (`StreamInfo::ResponseFlagUtils::toShortString`: codes joined by ",", "-"
 * when none). Bit i is `CoreResponseFlag` i (envoy/stream_info/stream_info.h);
 * the codes follow `ResponseFlagUtils` (source/common/stream_info/utility.h).
 */
const SHORT_CODES: string[] = [
  "LH", "UH", "UT", "LR", "UR", "UF", "UC", "UO", "NR", "DI", "FI", "RL", "UAEX", "RLSE", "DC", "URX", "SI", "IH",
  "DPE", "UMSDR", "RFCF", "NFCF", "DT", "UPE", "NC", "OM", "DF", "DO", "DR",
];

export function responseFlagsText(flags: i64): string {
  if (flags <= 0) return "-";
  let text = "";
  for (let bit = 0, n = SHORT_CODES.length; bit < n; bit++) {
    if ((flags & (<i64>1 << bit)) == 0) continue;
    if (text.length > 0) text += ",";
    text += unchecked(SHORT_CODES[bit]);
  }
  return text.length == 0 ? "-" : text;
}
