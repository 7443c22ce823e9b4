import { describe, expect, it } from "vitest";
import { GuestHeaderName, GuestNameTable, guestHeaderName, hashGuestBytes } from "../../src/host/guest-header-name.js";
import { GuestViews } from "../../src/host/guest-views.js";
import { seededRandom } from "../support/seeded-random.js";

function guest(text: string, offset = 3): { views: GuestViews; ptr: number; size: number } {
  const views = new GuestViews(new ArrayBuffer(offset + text.length + 5));
  for (let i = 0; i < text.length; i++) views.bytes[offset + i] = text.charCodeAt(i);
  return { views, ptr: offset, size: text.length };
}

/** The reference: Envoy lowercases ASCII only, then compares bytes. */
function sameName(lowercaseName: string, text: string): boolean {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase()) === lowercaseName;
}

describe("GuestHeaderName", () => {
  it("matches every ASCII case variant and nothing that only differs outside letters", () => {
    const name = new GuestHeaderName("x-request-id");
    for (const text of ["x-request-id", "X-Request-ID", "X-REQUEST-ID"]) {
      const g = guest(text);
      expect(name.matches(g.views, g.ptr, g.size), text).toBe(true);
    }
    // 'M' (0x4d) = '-' (0x2d) | 0x20: only letter positions may be case-folded.
    for (const text of ["xmrequest-id", "x-request-iD ", "x-request-i", "x-request-ie", "x\rrequest-id"]) {
      const g = guest(text);
      expect(name.matches(g.views, g.ptr, g.size), JSON.stringify(text)).toBe(false);
    }
  });

  it("handles names shorter than a word and the empty name", () => {
    for (const lowercase of ["", "a", "te", ":pa"]) {
      const name = new GuestHeaderName(lowercase);
      const g = guest(lowercase.toUpperCase());
      expect(name.matches(g.views, g.ptr, g.size)).toBe(true);
      expect(hashGuestBytes(g.views, g.ptr, g.size)).toBe(name.hash);
    }
  });

  it("agrees with the reference on random names and case/byte mutations", () => {
    const random = seededRandom(0x5eed);
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:@`{[\x7f\xe4";
    const pick = () => alphabet[Math.floor(random() * alphabet.length)]!;
    for (let n = 0; n < 3000; n++) {
      let lowercase = "";
      const length = Math.floor(random() * 20);
      for (let i = 0; i < length; i++) lowercase += pick().replace(/[A-Z]/g, (c) => c.toLowerCase());
      let text = "";
      for (const c of lowercase) text += random() < 0.5 ? c.toUpperCase().replace(/[^\x00-\x7f]/g, c) : c;
      if (random() < 0.4 && text.length > 0) {
        const at = Math.floor(random() * text.length);
        text = text.slice(0, at) + pick() + text.slice(at + 1);
      }
      const name = guestHeaderName(lowercase);
      const g = guest(text, Math.floor(random() * 4));
      const expected = sameName(lowercase, text);
      expect(name.matches(g.views, g.ptr, g.size), `${JSON.stringify(lowercase)} vs ${JSON.stringify(text)}`).toBe(expected);
      if (expected) expect(hashGuestBytes(g.views, g.ptr, g.size)).toBe(name.hash);
    }
  });
});

describe("GuestNameTable", () => {
  it("finds the first entry of each name among many, and -1 for absent names", () => {
    const names = Array.from({ length: 40 }, (_, i) => `x-header-${i % 30}`);
    const table = new GuestNameTable(names);
    for (let i = 0; i < 30; i++) {
      for (let offset = 0; offset < 4; offset++) {
        const g = guest(`X-Header-${i}`, offset);
        expect(table.find(g.views, g.ptr, g.size), `x-header-${i} at offset ${offset}`).toBe(i);
      }
    }
    const absent = guest("x-header-30");
    expect(table.find(absent.views, absent.ptr, absent.size)).toBe(-1);
  });

  it("agrees with a first-match scan on random maps, at every alignment", () => {
    const random = seededRandom(0x7ab1e);
    const alphabet = "abcdefxyz-:0123";
    const randomName = () => {
      let name = "";
      const length = Math.floor(random() * 14);
      for (let i = 0; i < length; i++) name += alphabet[Math.floor(random() * alphabet.length)];
      return name;
    };
    for (let round = 0; round < 200; round++) {
      const names = Array.from({ length: 1 + Math.floor(random() * 24) }, randomName);
      const table = new GuestNameTable(names);
      for (let lookup = 0; lookup < 20; lookup++) {
        const lowercase = random() < 0.7 ? names[Math.floor(random() * names.length)]! : randomName();
        const text = [...lowercase].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join("");
        const g = guest(text, Math.floor(random() * 4));
        expect(table.find(g.views, g.ptr, g.size), `${JSON.stringify(text)} in ${JSON.stringify(names)}`).toBe(names.indexOf(lowercase));
      }
    }
  });

  it("works for an empty map", () => {
    const g = guest("a");
    expect(new GuestNameTable([]).find(g.views, g.ptr, g.size)).toBe(-1);
  });
});
