/**
 * Header names given as text at the public API (tests, the demo, a data
 * plane's parsed request) turned into the lowercase byte strings a HeaderMap
 * keeps, remembered per name: a request carries the same dozen names as the
 * one before, and converting one (an ASCII check through Buffer.byteLength and
 * a lowercasing pass) cost about three times a Map lookup on the 2-core CI
 * machines. Bounded, because clients choose names: when full it starts over.
 */
import { asciiLowercase, byteStringFromText } from "./byte-strings.js";

const REMEMBERED_LIMIT = 1024;
const remembered = new Map<string, string>();

/** The lowercase byte string of header name `text` (UTF-8 text). */
export function headerNameFromText(text: string): string {
  let name = remembered.get(text);
  if (name === undefined) {
    if (remembered.size >= REMEMBERED_LIMIT) remembered.clear();
    name = asciiLowercase(byteStringFromText(text));
    remembered.set(text, name);
  }
  return name;
}
