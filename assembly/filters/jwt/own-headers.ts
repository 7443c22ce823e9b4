/**
 * Stripping the request headers only this filter may set (`x-wasmixer-jwt-*`
 * and the configured output headers, docs/auth-contract.md), so a client
 * cannot pose as a verified caller. Works on the borrowed header block: no
 * header is decoded, and a request carrying none of them costs no host call
 * beyond reading the map.
 */
import { MapType } from "../../sdk";
import { BorrowedHeaderPairs, removeHeaderBytes } from "../../sdk/header-bytes";
import { isIgnoringAsciiCase, startsWithIgnoringAsciiCase } from "./ascii-bytes";
import { JwtConfig, OWN_HEADER_PREFIX, lengthBit } from "./config";

const PREFIX_BYTES: ArrayBuffer = String.UTF8.encode(OWN_HEADER_PREFIX);

function ownsHeaderBytes(config: JwtConfig, name: usize, length: usize): bool {
  if (startsWithIgnoringAsciiCase(name, length, PREFIX_BYTES)) return true;
  if ((config.outputHeaderLengths & lengthBit(length)) == 0) return false;
  const rules = config.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = unchecked(rules[r]);
    if (isIgnoringAsciiCase(name, length, rule.outputPayloadToHeaderBytes)) return true;
    const outputs = rule.outputClaimToHeaders;
    for (let c = 0; c < outputs.length; c++) {
      if (isIgnoringAsciiCase(name, length, unchecked(outputs[c]).headerBytes)) return true;
    }
  }
  return false;
}

/**
 * Removes every entry of `pairs` (the request headers, borrowed) that the filter owns.
 * The host lowercases names on removal, as Envoy does, so the name goes as it was read.
 */
export function stripOwnHeaders(config: JwtConfig, pairs: BorrowedHeaderPairs): void {
  pairs.rewind();
  while (pairs.next()) {
    if (ownsHeaderBytes(config, pairs.namePointer, pairs.nameLength)) {
      removeHeaderBytes(MapType.HttpRequestHeaders, pairs.namePointer, pairs.nameLength);
    }
  }
}
