import { CharClass } from "./char-class";

/** What a {@link RegexNode} stands for. */
export const enum NodeKind {
  /** Matches the empty string. */
  Empty,
  /** One code point. */
  Literal,
  /** One code point out of a set. */
  Class,
  Concat,
  Alternate,
  /** `child{min,max}`; max -1 means unbounded. `*`, `+`, `?` are repeats too. */
  Repeat,
  /** A zero-width assertion, see {@link Assertion}. */
  Assert,
}

/**
 * Zero-width assertions. Each is a bit so the matcher can describe a position
 * with one mask and test an assertion with one AND.
 */
export const enum Assertion {
  BeginLine = 1,
  EndLine = 2,
  BeginText = 4,
  EndText = 8,
  WordBoundary = 16,
  NotWordBoundary = 32,
}

/** A node of the parsed regular expression. */
export class RegexNode {
  kind: NodeKind;
  codePoint: i32 = 0;
  charClass: CharClass | null = null;
  children: Array<RegexNode> = new Array<RegexNode>();
  min: i32 = 0;
  max: i32 = 0;
  /** Whether the repeat prefers more iterations; kept for completeness, it never changes match/no-match. */
  greedy: bool = true;
  /** True for `{n,m}` counted repeats, which RE2 limits to a nested product of 1000. */
  counted: bool = false;
  assertion: i32 = 0;
  /** Offset in the pattern, for error messages. */
  position: i32 = 0;
  /** Index of this class in the compiled program once emitted, so repeats share one table entry. */
  compiledClass: i32 = -1;

  constructor(kind: NodeKind) {
    this.kind = kind;
  }

  static literal(codePoint: i32): RegexNode {
    const node = new RegexNode(NodeKind.Literal);
    node.codePoint = codePoint;
    return node;
  }

  static ofClass(charClass: CharClass): RegexNode {
    const node = new RegexNode(NodeKind.Class);
    node.charClass = charClass;
    return node;
  }

  static assert(assertion: Assertion): RegexNode {
    const node = new RegexNode(NodeKind.Assert);
    node.assertion = assertion;
    return node;
  }

  static repeat(child: RegexNode, min: i32, max: i32, greedy: bool, counted: bool, position: i32): RegexNode {
    const node = new RegexNode(NodeKind.Repeat);
    node.children.push(child);
    node.min = min;
    node.max = max;
    node.greedy = greedy;
    node.counted = counted;
    node.position = position;
    return node;
  }
}
