/**
 * `text` with A-Z turned into a-z and everything else unchanged. Header names,
 * hosts and Envoy's `ignore_case` are ASCII-only; String#toLowerCase would
 * also pull Unicode case tables into every module that uses it.
 */
export function asciiLowerCase(text: string): string {
  const length = text.length;
  let first = 0;
  while (first < length) {
    const unit = text.charCodeAt(first);
    if (unit >= 0x41 && unit <= 0x5A) break;
    first++;
  }
  if (first == length) return text;
  const result = changetype<string>(__new(<usize>length << 1, idof<string>()));
  memory.copy(changetype<usize>(result), changetype<usize>(text), <usize>length << 1);
  for (let i = first; i < length; i++) {
    const at = changetype<usize>(result) + (<usize>i << 1);
    const unit = load<u16>(at);
    if (unit >= 0x41 && unit <= 0x5A) store<u16>(at, unit | 0x20);
  }
  return result;
}
