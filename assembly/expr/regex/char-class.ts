import { casedBlockCount, casedBlockHigh, casedBlockLow, forEachCaseVariant } from "./case-fold";

/** The largest Unicode code point. */
export const MAX_CODE_POINT: u32 = 0x10FFFF;

// @ts-ignore: decorator
@inline function packRange(lo: u32, hi: u32): u64 {
  return (<u64>lo << 32) | <u64>hi;
}

// @ts-ignore: decorator
@inline export function rangeLow(range: u64): u32 {
  return <u32>(range >>> 32);
}

// @ts-ignore: decorator
@inline export function rangeHigh(range: u64): u32 {
  return <u32>range;
}

/**
 * A set of code points under construction, kept as inclusive ranges packed
 * into u64 (`lo << 32 | hi`). Only the parser builds these; the compiled
 * program stores the normalized ranges in flat tables.
 */
export class CharClass {
  ranges: Array<u64> = new Array<u64>();

  addRange(lo: u32, hi: u32): CharClass {
    this.ranges.push(packRange(lo, hi));
    return this;
  }

  addChar(c: u32): CharClass {
    return this.addRange(c, c);
  }

  addClass(other: CharClass): CharClass {
    const source = other.ranges;
    for (let i = 0; i < source.length; i++) this.ranges.push(unchecked(source[i]));
    return this;
  }

  /** Sorts the ranges and merges the ones that overlap or touch. */
  normalize(): CharClass {
    const input = this.ranges;
    if (input.length < 2) return this;
    // Insertion sort: classes are small, and Array#sort would add kilobytes to every module.
    for (let i = 1; i < input.length; i++) {
      const item = unchecked(input[i]);
      let j = i - 1;
      while (j >= 0 && unchecked(input[j]) > item) {
        unchecked(input[j + 1] = input[j]);
        j--;
      }
      unchecked(input[j + 1] = item);
    }
    const merged = new Array<u64>();
    let lo = rangeLow(unchecked(input[0]));
    let hi = rangeHigh(unchecked(input[0]));
    for (let i = 1; i < input.length; i++) {
      const range = unchecked(input[i]);
      const nextLo = rangeLow(range);
      const nextHi = rangeHigh(range);
      if (nextLo <= hi + 1) {
        if (nextHi > hi) hi = nextHi;
      } else {
        merged.push(packRange(lo, hi));
        lo = nextLo;
        hi = nextHi;
      }
    }
    merged.push(packRange(lo, hi));
    this.ranges = merged;
    return this;
  }

  /** Replaces the set with its complement within [0, U+10FFFF]. */
  negate(): CharClass {
    this.normalize();
    const complement = new Array<u64>();
    let next: u32 = 0;
    for (let i = 0; i < this.ranges.length; i++) {
      const range = unchecked(this.ranges[i]);
      if (rangeLow(range) > next) complement.push(packRange(next, rangeLow(range) - 1));
      next = rangeHigh(range) + 1;
    }
    if (next <= MAX_CODE_POINT) complement.push(packRange(next, MAX_CODE_POINT));
    this.ranges = complement;
    return this;
  }

  /** Adds the case variants of every member, as RE2's (?i) does. */
  foldCase(): CharClass {
    const variants = new Array<u64>();
    const blocks = casedBlockCount();
    for (let i = 0; i < this.ranges.length; i++) {
      const lo = rangeLow(unchecked(this.ranges[i]));
      const hi = rangeHigh(unchecked(this.ranges[i]));
      for (let b = 0; b < blocks; b++) {
        const from = max(lo, casedBlockLow(b));
        const to = min(hi, casedBlockHigh(b));
        for (let c = from; c <= to; c++) forEachCaseVariant(c, variants);
      }
    }
    for (let i = 0; i < variants.length; i++) this.ranges.push(unchecked(variants[i]));
    return this.normalize();
  }

  /** The single code point this class contains, or -1. */
  singleCodePoint(): i32 {
    if (this.ranges.length != 1) return -1;
    const range = unchecked(this.ranges[0]);
    return rangeLow(range) == rangeHigh(range) ? <i32>rangeLow(range) : -1;
  }
}

/** RE2's `\d`: ASCII digits only. */
export function digitClass(): CharClass {
  return new CharClass().addRange(0x30, 0x39);
}

/** RE2's `\s`: `[\t\n\f\r ]` (no vertical tab, unlike Perl and JavaScript). */
export function spaceClass(): CharClass {
  return new CharClass().addRange(0x09, 0x0A).addRange(0x0C, 0x0D).addChar(0x20);
}

/** RE2's `\w`: `[0-9A-Za-z_]`. */
export function wordClass(): CharClass {
  return new CharClass().addRange(0x30, 0x39).addRange(0x41, 0x5A).addChar(0x5F).addRange(0x61, 0x7A);
}

/**
 * The POSIX bracket class `[:name:]`, ASCII-only as in RE2, or null when the
 * name is not one RE2 knows.
 */
export function posixClass(name: string): CharClass | null {
  const c = new CharClass();
  if (name == "alnum") return c.addRange(0x30, 0x39).addRange(0x41, 0x5A).addRange(0x61, 0x7A);
  if (name == "alpha") return c.addRange(0x41, 0x5A).addRange(0x61, 0x7A);
  if (name == "ascii") return c.addRange(0x00, 0x7F);
  if (name == "blank") return c.addChar(0x09).addChar(0x20);
  if (name == "cntrl") return c.addRange(0x00, 0x1F).addChar(0x7F);
  if (name == "digit") return c.addRange(0x30, 0x39);
  if (name == "graph") return c.addRange(0x21, 0x7E);
  if (name == "lower") return c.addRange(0x61, 0x7A);
  if (name == "print") return c.addRange(0x20, 0x7E);
  if (name == "punct") return c.addRange(0x21, 0x2F).addRange(0x3A, 0x40).addRange(0x5B, 0x60).addRange(0x7B, 0x7E);
  if (name == "space") return c.addRange(0x09, 0x0D).addChar(0x20);
  if (name == "upper") return c.addRange(0x41, 0x5A);
  if (name == "word") return wordClass();
  if (name == "xdigit") return c.addRange(0x30, 0x39).addRange(0x41, 0x46).addRange(0x61, 0x66);
  return null;
}
