import { Assertion } from "./ast";
import { decodeCodePoint, decodedWidth } from "./code-points";
import { RegexParser } from "./parser";
import { Op, Program, ProgramCompiler } from "./program";
import { ThreadList } from "./thread-list";

function isWordCodePoint(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F;
}

/** Which assertions hold between code points `before` and `after` (-1 = edge of the input). */
function positionFlags(before: i32, after: i32): i32 {
  let flags = 0;
  if (before < 0) flags |= Assertion.BeginText | Assertion.BeginLine;
  else if (before == 0x0A) flags |= Assertion.BeginLine;
  if (after < 0) flags |= Assertion.EndText | Assertion.EndLine;
  else if (after == 0x0A) flags |= Assertion.EndLine;
  flags |= isWordCodePoint(before) != isWordCodePoint(after) ? Assertion.WordBoundary : Assertion.NotWordBoundary;
  return flags;
}

/**
 * A regular expression in RE2 syntax, matched in time linear in the input:
 * a Thompson NFA simulated one code point at a time (no backtracking, no
 * captures). Compile once at configuration time; matching allocates nothing.
 *
 * Not reentrant: the match state lives in the instance (Wasm is single
 * threaded, and nothing calls back into a match).
 */
export class Regex {
  /** Why the last {@link Regex.compile} returned null, with the position in the pattern. */
  static lastError: string = "";

  /** The source pattern. */
  readonly pattern: string;
  /** NFA steps taken by the most recent match, a machine-independent cost measure. */
  steps: i32 = 0;

  private readonly program: Program;
  private current: ThreadList;
  private next: ThreadList;
  private readonly stack: StaticArray<i32>;
  private matched: bool = false;

  constructor(pattern: string, program: Program) {
    this.pattern = pattern;
    this.program = program;
    this.current = new ThreadList(program.length);
    this.next = new ThreadList(program.length);
    this.stack = new StaticArray<i32>(program.length * 2 + 2);
  }

  /**
   * Parses and compiles `pattern`. Returns null on a syntax error or an
   * unsupported feature (backreferences, lookaround, ...), with the reason in
   * {@link Regex.lastError}. `ignoreCase` starts the pattern in `(?i)` mode
   * without shifting error positions.
   */
  static compile(pattern: string, ignoreCase: bool = false): Regex | null {
    const parser = new RegexParser(pattern, ignoreCase);
    const root = parser.parse();
    if (root === null) {
      Regex.lastError = "invalid regex \"" + pattern + "\": " + parser.error!;
      return null;
    }
    const compiler = new ProgramCompiler();
    const program = compiler.compile(root);
    if (program === null) {
      Regex.lastError = "invalid regex \"" + pattern + "\": " + compiler.error!;
      return null;
    }
    Regex.lastError = "";
    return new Regex(pattern, program);
  }

  /** Whether the whole of `input` matches (Envoy `safe_regex` / Istio semantics). */
  fullMatch(input: string): bool {
    return this.run(changetype<usize>(input), input.length, false, true);
  }

  /** Whether some substring of `input` matches. */
  partialMatch(input: string): bool {
    return this.run(changetype<usize>(input), input.length, false, false);
  }

  /** {@link fullMatch} on UTF-8 bytes, e.g. a header value straight from the host. */
  fullMatchUtf8(input: ArrayBuffer): bool {
    return this.run(changetype<usize>(input), input.byteLength, true, true);
  }

  /** {@link partialMatch} on UTF-8 bytes. */
  partialMatchUtf8(input: ArrayBuffer): bool {
    return this.run(changetype<usize>(input), input.byteLength, true, false);
  }

  private run(data: usize, length: i32, utf8: bool, full: bool): bool {
    const program = this.program;
    const code = program.instructions;
    let current = this.current;
    let next = this.next;
    this.matched = false;
    this.steps = 0;
    current.clear();

    let position = 0;
    let codePoint = -1;
    let width = 0;
    if (length > 0) {
      codePoint = decodeCodePoint(data, length, 0, utf8);
      width = decodedWidth;
    }
    this.addThread(current, 0, positionFlags(-1, codePoint));
    if (!full && this.matched) return true;

    while (codePoint >= 0) {
      if (full && current.size == 0) return false;
      const nextPosition = position + width;
      let following = -1;
      let followingWidth = 0;
      if (nextPosition < length) {
        following = decodeCodePoint(data, length, nextPosition, utf8);
        followingWidth = decodedWidth;
      }
      const flags = positionFlags(codePoint, following);
      next.clear();
      const threads = current.dense;
      const count = current.size;
      this.steps += count;
      for (let i = 0; i < count; i++) {
        const pc = unchecked(threads[i]);
        const base = pc * 3;
        const op = unchecked(code[base]);
        if (op == Op.Char) {
          if (unchecked(code[base + 1]) == codePoint) this.addThread(next, pc + 1, flags);
        } else if (op == Op.Class) {
          if (program.classContains(unchecked(code[base + 1]), codePoint)) this.addThread(next, pc + 1, flags);
        }
      }
      if (!full) {
        if (this.matched) return true;
        // Unanchored search: a match may also start at the next position.
        this.addThread(next, 0, flags);
        if (this.matched) return true;
      }
      const swap = current;
      current = next;
      next = swap;
      position = nextPosition;
      codePoint = following;
      width = followingWidth;
    }
    return full && current.contains(program.length - 1);
  }

  /** Adds `start` and everything reachable from it without consuming input. */
  private addThread(list: ThreadList, start: i32, flags: i32): void {
    const code = this.program.instructions;
    const stack = this.stack;
    let top = 0;
    unchecked(stack[top++] = start);
    let steps = 0;
    while (top > 0) {
      const pc = unchecked(stack[--top]);
      if (list.contains(pc)) continue;
      list.add(pc);
      steps++;
      const base = pc * 3;
      const op = unchecked(code[base]);
      if (op == Op.Jump) {
        unchecked(stack[top++] = code[base + 1]);
      } else if (op == Op.Split) {
        unchecked(stack[top++] = code[base + 2]);
        unchecked(stack[top++] = code[base + 1]);
      } else if (op == Op.Assert) {
        if (unchecked(code[base + 1]) & flags) unchecked(stack[top++] = pc + 1);
      } else if (op == Op.Match) {
        this.matched = true;
      }
    }
    this.steps += steps;
  }
}
