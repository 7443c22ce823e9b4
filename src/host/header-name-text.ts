/**
 * Header names given as text at the public API (tests, the demo, a data
 * plane's parsed request) turned into the lowercase byte strings a HeaderMap
 * keeps, remembered per name: a request carries the same dozen names as the
 * one before, and converting one (an ASCII check through Buffer.byteLength and
 * a lowercasing pass) cost about three times a Map lookup on the 2-core CI
 * machines. Bounded (bounded-memo.ts), because clients choose names.
 */
import { BoundedMemo } from "./bounded-memo.js";
import { asciiLowercase, byteStringFromText } from "./byte-strings.js";

const names = new BoundedMemo(1024, (text) => asciiLowercase(byteStringFromText(text)));

/** The lowercase byte string of header name `text` (UTF-8 text). */
export function headerNameFromText(text: string): string {
  return names.get(text);
}
