/**
 * Parses a protobuf Duration in its JSON form ("5s", "1.5s", "0.100s"), as
 * Istio's `fixedDelay` is written, into milliseconds. Returns -1 when the
 * text is not one. Istio's YAML also accepts "100ms"/"1m"/"1h" through
 * Kubernetes-style parsing, so those units are accepted too.
 */
export function parseDurationMilliseconds(text: string): i64 {
  let end = text.length;
  let scale: f64 = 1000;
  if (text.endsWith("ms")) { end -= 2; scale = 1; }
  else if (text.endsWith("s")) { end -= 1; }
  else if (text.endsWith("m")) { end -= 1; scale = 60_000; }
  else if (text.endsWith("h")) { end -= 1; scale = 3_600_000; }
  else return -1;
  if (end == 0) return -1;
  let value: f64 = 0;
  let fraction: f64 = 0;
  let divisor: f64 = 1;
  let seenDot = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x2E && !seenDot) { seenDot = true; continue; }
    if (c < 0x30 || c > 0x39) return -1;
    if (seenDot) { divisor *= 10; fraction += (c - 0x30) / divisor; }
    else value = value * 10 + (c - 0x30);
  }
  return <i64>Math.round((value + fraction) * scale);
}
