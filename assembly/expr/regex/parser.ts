import { Assertion, NodeKind, RegexNode } from "./ast";
import { CharClass, MAX_CODE_POINT, digitClass, posixClass, spaceClass, wordClass } from "./char-class";

/** Flags settable with `(?flags)` / `(?flags:re)`, as in RE2. */
const enum Flag {
  /** i: case-insensitive */
  FoldCase = 1,
  /** m: ^ and $ match at line boundaries */
  MultiLine = 2,
  /** s: . matches \n */
  DotMatchesNewline = 4,
  /** U: swaps the meaning of x* and x*? */
  Ungreedy = 8,
}

/** RE2 refuses counted repetitions above this, alone or multiplied through nesting. */
export const MAX_REPEAT: i32 = 1000;

/**
 * Deepest group nesting accepted. RE2 allows 1000, but parsing recurses per
 * level and AssemblyScript's shadow stack is small (overflowing it aborts the
 * whole VM), so the limit is lower; real-world patterns nest a few levels.
 */
const MAX_NESTING_DEPTH: i32 = 100;

const CHAR_BACKSLASH: i32 = 0x5C;

function isOctalDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x37;
}

function isDecimalDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function isWordChar(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F;
}

/**
 * Recursive-descent parser for RE2 syntax. Errors are reported through
 * {@link RegexParser.error} (AssemblyScript has no exceptions): a parse
 * function that returns null with `error` still null means "consumed
 * something that produces no node", e.g. a `(?i)` flag group.
 */
export class RegexParser {
  private pos: i32 = 0;
  private flags: i32 = 0;
  private depth: i32 = 0;
  /** The first error met, with the offset (UTF-16 index) in the pattern. */
  error: string | null = null;

  constructor(private readonly pattern: string, ignoreCase: bool = false) {
    if (ignoreCase) this.flags = Flag.FoldCase;
  }

  /** Parses the whole pattern; null on error (see {@link error}). */
  parse(): RegexNode | null {
    const root = this.parseAlternation();
    if (root === null) return null;
    if (this.pos < this.pattern.length) {
      // parseAlternation only stops early at a ')' it did not open.
      return this.fail("unexpected ) with no group to close", this.pos);
    }
    return root;
  }

  private fail(message: string, position: i32): RegexNode | null {
    if (this.error === null) this.error = message + " at position " + position.toString();
    return null;
  }

  private failCode(message: string, position: i32): i32 {
    this.fail(message, position);
    return -1;
  }

  private peek(): i32 {
    return this.pos < this.pattern.length ? <i32>this.pattern.charCodeAt(this.pos) : -1;
  }

  private peekAt(offset: i32): i32 {
    const at = this.pos + offset;
    return at < this.pattern.length ? <i32>this.pattern.charCodeAt(at) : -1;
  }

  private lookingAt(text: string): bool {
    return this.pattern.startsWith(text, this.pos);
  }

  private readCodePoint(): i32 {
    const c = <i32>this.pattern.codePointAt(this.pos);
    this.pos += c > 0xFFFF ? 2 : 1;
    return c;
  }

  private parseAlternation(): RegexNode | null {
    const first = this.parseConcat();
    if (first === null) return null;
    if (this.peek() != 0x7C /* | */) return first;
    const alternate = new RegexNode(NodeKind.Alternate);
    alternate.children.push(first);
    while (this.peek() == 0x7C) {
      this.pos++;
      const next = this.parseConcat();
      if (next === null) return null;
      alternate.children.push(next);
    }
    return alternate;
  }

  private parseConcat(): RegexNode | null {
    const concat = new RegexNode(NodeKind.Concat);
    while (this.pos < this.pattern.length) {
      const c = this.peek();
      if (c == 0x7C || c == 0x29 /* ) */) break;
      let start = this.pos;
      let atom: RegexNode | null;
      if (this.lookingAt("\\Q")) {
        // Like RE2, a repetition after \Q...\E applies to its last character only.
        const quoted = this.parseQuotedLiteral();
        const count = quoted.length;
        if (count == 0) continue;
        for (let i = 0; i < count - 1; i++) concat.children.push(quoted[i]);
        atom = quoted[count - 1];
        start = this.pos;
      } else {
        atom = this.parseAtom();
      }
      if (this.error !== null) return null;
      if (atom === null) continue;
      const repeated = this.parseRepetition(atom, start);
      if (repeated === null) return null;
      concat.children.push(repeated);
    }
    if (concat.children.length == 0) return new RegexNode(NodeKind.Empty);
    if (concat.children.length == 1) return concat.children[0];
    return concat;
  }

  /**
   * Reads `{n}`, `{n,}` or `{n,m}` at the current position into
   * boundMin/boundMax. Returns 1 when it is one (and consumes it), 0 when the
   * brace is a literal (RE2 treats `{` that starts no valid repetition as a
   * literal), -1 on a count above the limit.
   */
  private boundMin: i32 = 0;
  private boundMax: i32 = 0;
  private parseBounds(consume: bool): i32 {
    const pattern = this.pattern;
    let i = this.pos + 1;
    let min = 0;
    let digits = 0;
    while (i < pattern.length && isDecimalDigit(pattern.charCodeAt(i))) {
      if (min <= 100_000) min = min * 10 + (pattern.charCodeAt(i) - 0x30);
      i++;
      digits++;
    }
    if (digits == 0 || i >= pattern.length) return 0;
    let max = min;
    if (pattern.charCodeAt(i) == 0x2C /* , */) {
      i++;
      if (i < pattern.length && pattern.charCodeAt(i) == 0x7D /* } */) {
        max = -1;
      } else {
        max = 0;
        digits = 0;
        while (i < pattern.length && isDecimalDigit(pattern.charCodeAt(i))) {
          if (max <= 100_000) max = max * 10 + (pattern.charCodeAt(i) - 0x30);
          i++;
          digits++;
        }
        if (digits == 0) return 0;
      }
    }
    if (i >= pattern.length || pattern.charCodeAt(i) != 0x7D) return 0;
    const text = pattern.substring(this.pos, i + 1);
    if (min > MAX_REPEAT || max > MAX_REPEAT) {
      this.fail("bad repetition operator " + text + ": counts above " + MAX_REPEAT.toString() + " are not allowed", this.pos);
      return -1;
    }
    if (max != -1 && max < min) {
      this.fail("bad repetition operator " + text + ": maximum is less than minimum", this.pos);
      return -1;
    }
    this.boundMin = min;
    this.boundMax = max;
    if (consume) this.pos = i + 1;
    return 1;
  }

  private startsRepetition(): bool {
    const c = this.peek();
    if (c == 0x2A || c == 0x2B || c == 0x3F) return true;
    if (c == 0x7B) {
      const saved = this.error;
      const found = this.parseBounds(false) != 0;
      this.error = saved;
      return found;
    }
    return false;
  }

  private parseRepetition(atom: RegexNode, atomStart: i32): RegexNode | null {
    const opStart = this.pos;
    const c = this.peek();
    let min: i32;
    let max: i32;
    let counted = false;
    if (c == 0x2A /* * */) { min = 0; max = -1; this.pos++; }
    else if (c == 0x2B /* + */) { min = 1; max = -1; this.pos++; }
    else if (c == 0x3F /* ? */) { min = 0; max = 1; this.pos++; }
    else if (c == 0x7B /* { */) {
      const found = this.parseBounds(true);
      if (found < 0) return null;
      if (found == 0) return atom;
      min = this.boundMin;
      max = this.boundMax;
      counted = true;
    } else {
      return atom;
    }
    let greedy = true;
    if (this.peek() == 0x3F) {
      this.pos++;
      greedy = false;
    }
    if (this.flags & Flag.Ungreedy) greedy = !greedy;
    if (this.startsRepetition()) {
      return this.fail("bad repetition operator " + this.pattern.substring(opStart, this.pos + 1) + ": repetition operators cannot follow each other", opStart);
    }
    return RegexNode.repeat(atom, min, max, greedy, counted, atomStart);
  }

  private parseAtom(): RegexNode | null {
    const c = this.peek();
    const start = this.pos;
    switch (c) {
      case 0x28: return this.parseGroup();
      case 0x5B: return this.parseClass();
      case CHAR_BACKSLASH: return this.parseEscapeAtom();
      case 0x2E: { // .
        this.pos++;
        const dot = new CharClass();
        if (this.flags & Flag.DotMatchesNewline) dot.addRange(0, MAX_CODE_POINT);
        else dot.addRange(0, 0x09).addRange(0x0B, MAX_CODE_POINT);
        return RegexNode.ofClass(dot);
      }
      case 0x5E: // ^
        this.pos++;
        return RegexNode.assert(this.flags & Flag.MultiLine ? Assertion.BeginLine : Assertion.BeginText);
      case 0x24: // $
        this.pos++;
        return RegexNode.assert(this.flags & Flag.MultiLine ? Assertion.EndLine : Assertion.EndText);
      case 0x2A: case 0x2B: case 0x3F:
        return this.fail("missing argument to repetition operator " + String.fromCharCode(c), start);
      case 0x7B:
        if (this.startsRepetition()) {
          return this.fail("missing argument to repetition operator " + this.pattern.substring(start, this.pattern.indexOf("}", start) + 1), start);
        }
        break;
    }
    return this.literal(this.readCodePoint());
  }

  private literal(c: i32): RegexNode {
    if (this.flags & Flag.FoldCase) {
      const folded = new CharClass().addChar(c).foldCase();
      if (folded.singleCodePoint() < 0) return RegexNode.ofClass(folded);
    }
    return RegexNode.literal(c);
  }

  private parseGroup(): RegexNode | null {
    const open = this.pos;
    let groupFlags = this.flags;
    if (this.lookingAt("(?=") || this.lookingAt("(?!")) {
      return this.fail("lookahead " + this.pattern.substring(open, open + 3) + " is not supported (RE2 syntax has no lookaround)", open);
    }
    if (this.lookingAt("(?<=") || this.lookingAt("(?<!")) {
      return this.fail("lookbehind " + this.pattern.substring(open, open + 4) + " is not supported (RE2 syntax has no lookaround)", open);
    }
    if (this.lookingAt("(?P=") || this.lookingAt("(?P>")) {
      return this.fail("backreference " + this.pattern.substring(open, open + 4) + " is not supported (RE2 syntax has no backreferences)", open);
    }
    if (this.lookingAt("(?P<") || this.lookingAt("(?<")) {
      this.pos += this.lookingAt("(?P<") ? 4 : 3;
      const nameStart = this.pos;
      while (this.pos < this.pattern.length && isWordChar(this.peek())) this.pos++;
      if (this.pos == nameStart || this.peek() != 0x3E /* > */) {
        return this.fail("invalid named capture group name", open);
      }
      this.pos++;
    } else if (this.lookingAt("(?")) {
      this.pos += 2;
      let negated = false;
      let sawFlag = false;
      let sawAny = false;
      while (true) {
        const c = this.peek();
        let bit = 0;
        if (c == 0x69) bit = Flag.FoldCase;
        else if (c == 0x6D) bit = Flag.MultiLine;
        else if (c == 0x73) bit = Flag.DotMatchesNewline;
        else if (c == 0x55) bit = Flag.Ungreedy;
        if (bit != 0) {
          groupFlags = negated ? groupFlags & ~bit : groupFlags | bit;
          sawFlag = true;
          sawAny = true;
          this.pos++;
          continue;
        }
        if (c == 0x2D /* - */ && !negated) {
          negated = true;
          sawFlag = false;
          this.pos++;
          continue;
        }
        if ((c == 0x29 || c == 0x3A) && (!negated || sawFlag) && (sawAny || c == 0x3A)) break;
        const end = c < 0 ? this.pos : this.pos + 1;
        return this.fail("invalid or unsupported Perl syntax " + this.pattern.substring(open, end), open);
      }
      if (this.peek() == 0x29) {
        // `(?i)` changes the flags until the end of the enclosing group.
        this.pos++;
        this.flags = groupFlags;
        return null;
      }
      this.pos++;
    } else {
      this.pos++;
    }
    if (++this.depth > MAX_NESTING_DEPTH) {
      return this.fail("expression nests groups more than " + MAX_NESTING_DEPTH.toString() + " deep", open);
    }
    const outerFlags = this.flags;
    this.flags = groupFlags;
    const body = this.parseAlternation();
    this.flags = outerFlags;
    this.depth--;
    if (body === null) return null;
    if (this.peek() != 0x29) return this.fail("missing closing ) for the group opened", open);
    this.pos++;
    return body;
  }

  private parseEscapeAtom(): RegexNode | null {
    const start = this.pos;
    this.pos++;
    const c = this.peek();
    if (c < 0) return this.fail("trailing backslash at end of expression", start);
    switch (c) {
      case 0x41: this.pos++; return RegexNode.assert(Assertion.BeginText); // \A
      case 0x7A: this.pos++; return RegexNode.assert(Assertion.EndText); // \z
      case 0x62: this.pos++; return RegexNode.assert(Assertion.WordBoundary); // \b
      case 0x42: this.pos++; return RegexNode.assert(Assertion.NotWordBoundary); // \B
      case 0x5A: return this.fail("\\Z is not supported in RE2 syntax (use \\z or $)", start);
      case 0x43: return this.fail("\\C (any byte) is not supported", start);
      case 0x70: case 0x50: return this.fail("Unicode classes \\p and \\P are not supported", start);
    }
    const perl = this.perlClass(c);
    if (perl !== null) {
      this.pos++;
      return RegexNode.ofClass(perl);
    }
    this.pos = start;
    const codePoint = this.parseClassChar();
    if (codePoint < 0) return null;
    return this.literal(codePoint);
  }

  /** `\Q...\E`: everything in between is literal (a missing \E runs to the end). */
  private parseQuotedLiteral(): Array<RegexNode> {
    this.pos += 2;
    const literals = new Array<RegexNode>();
    while (this.pos < this.pattern.length && !this.lookingAt("\\E")) {
      if (this.lookingAt("\\\\")) this.pos++;
      literals.push(this.literal(this.readCodePoint()));
    }
    if (this.lookingAt("\\E")) this.pos += 2;
    return literals;
  }

  /** `\d \D \s \S \w \W` for the escape letter c, or null. */
  private perlClass(c: i32): CharClass | null {
    let result: CharClass | null = null;
    if (c == 0x64 || c == 0x44) result = digitClass();
    else if (c == 0x73 || c == 0x53) result = spaceClass();
    else if (c == 0x77 || c == 0x57) result = wordClass();
    if (result !== null && c < 0x60) result.negate();
    return result;
  }

  /**
   * One code point inside or outside a class: a plain character or a
   * single-character escape. Returns -1 after recording an error.
   */
  private parseClassChar(): i32 {
    if (this.peek() != CHAR_BACKSLASH) return this.readCodePoint();
    const start = this.pos;
    this.pos++;
    if (this.pos >= this.pattern.length) return this.failCode("trailing backslash at end of expression", start);
    const c = this.readCodePoint();
    if (c >= 0x31 && c <= 0x37 && !isOctalDigit(this.peek())) {
      return this.failCode("backreference \\" + String.fromCharCode(c) + " is not supported (RE2 syntax has no backreferences)", start);
    }
    if (c == 0x38 || c == 0x39) {
      return this.failCode("backreference \\" + String.fromCharCode(c) + " is not supported (RE2 syntax has no backreferences)", start);
    }
    if (c >= 0x30 && c <= 0x37) {
      // Octal: up to three digits, \0 included.
      let value = c - 0x30;
      for (let n = 0; n < 2 && isOctalDigit(this.peek()); n++) value = value * 8 + (this.readCodePoint() - 0x30);
      return value;
    }
    if (c == 0x78 /* x */) return this.parseHexEscape(start);
    switch (c) {
      case 0x61: return 0x07; // \a
      case 0x66: return 0x0C; // \f
      case 0x74: return 0x09; // \t
      case 0x6E: return 0x0A; // \n
      case 0x72: return 0x0D; // \r
      case 0x76: return 0x0B; // \v
    }
    if (c < 0x80 && !isWordChar(c)) return c;
    if (c == 0x5F) return c;
    return this.failCode("invalid escape sequence " + this.pattern.substring(start, this.pos), start);
  }

  private parseHexEscape(start: i32): i32 {
    if (this.peek() == 0x7B /* { */) {
      this.pos++;
      let value = 0;
      let digits = 0;
      while (hexValue(this.peek()) >= 0) {
        value = value * 16 + hexValue(this.peek());
        if (value > <i32>MAX_CODE_POINT) return this.failCode("invalid escape sequence: code point above U+10FFFF", start);
        this.pos++;
        digits++;
      }
      if (digits == 0 || this.peek() != 0x7D) return this.failCode("invalid escape sequence " + this.pattern.substring(start, this.pos + 1) + ": expected \\x{hex digits}", start);
      this.pos++;
      return value;
    }
    const high = hexValue(this.peek());
    const low = hexValue(this.peekAt(1));
    if (high < 0 || low < 0) return this.failCode("invalid escape sequence " + this.pattern.substring(start, min(this.pos + 2, this.pattern.length)) + ": expected two hex digits", start);
    this.pos += 2;
    return high * 16 + low;
  }

  private parseClass(): RegexNode | null {
    const open = this.pos;
    this.pos++;
    let negated = false;
    if (this.peek() == 0x5E) {
      negated = true;
      this.pos++;
    }
    const members = new CharClass();
    let first = true;
    while (true) {
      if (this.pos >= this.pattern.length) return this.fail("missing closing ] for the character class opened", open);
      const c = this.peek();
      if (c == 0x5D /* ] */ && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c == 0x5B && this.peekAt(1) == 0x3A && this.parsePosixClass(members)) continue;
      if (this.error !== null) return null;
      if (c == CHAR_BACKSLASH) {
        const letter = this.peekAt(1);
        if (letter == 0x70 || letter == 0x50) return this.fail("Unicode classes \\p and \\P are not supported", this.pos);
        const perl = this.perlClass(letter);
        if (perl !== null) {
          members.addClass(perl);
          this.pos += 2;
          continue;
        }
      }
      const lowStart = this.pos;
      const low = this.parseClassChar();
      if (low < 0) return null;
      if (this.peek() == 0x2D /* - */ && this.peekAt(1) != 0x5D && this.peekAt(1) >= 0) {
        this.pos++;
        if (this.peek() == CHAR_BACKSLASH && this.perlClass(this.peekAt(1)) !== null) {
          return this.fail("invalid character class range " + this.pattern.substring(lowStart, this.pos + 2), lowStart);
        }
        const high = this.parseClassChar();
        if (high < 0) return null;
        if (high < low) return this.fail("invalid character class range " + this.pattern.substring(lowStart, this.pos), lowStart);
        members.addRange(<u32>low, <u32>high);
      } else {
        members.addChar(<u32>low);
      }
    }
    if (this.flags & Flag.FoldCase) members.foldCase();
    if (negated) members.negate();
    else members.normalize();
    return RegexNode.ofClass(members);
  }

  /** `[:name:]` or `[:^name:]` inside a class; false when the text is not one (the `[` is then a literal). */
  private parsePosixClass(members: CharClass): bool {
    const end = this.pattern.indexOf(":]", this.pos + 2);
    if (end < 0) return false;
    let nameStart = this.pos + 2;
    const negated = this.pattern.charCodeAt(nameStart) == 0x5E;
    if (negated) nameStart++;
    const name = this.pattern.substring(nameStart, end);
    const found = posixClass(name);
    if (found === null) {
      this.fail("invalid character class range " + this.pattern.substring(this.pos, end + 2), this.pos);
      return false;
    }
    if (negated) found.negate();
    members.addClass(found);
    this.pos = end + 2;
    return true;
  }
}
