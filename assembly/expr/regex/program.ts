import { NodeKind, RegexNode } from "./ast";
import { CharClass, rangeHigh, rangeLow } from "./char-class";
import { MAX_REPEAT } from "./parser";

/** Instruction opcodes of the Thompson NFA. Each instruction is three i32: op, a, b. */
export const enum Op {
  /** Consume code point `a`. */
  Char = 0,
  /** Consume one code point of class `a`. */
  Class = 1,
  /** Continue at `a` and at `b`. */
  Split = 2,
  /** Continue at `a`. */
  Jump = 3,
  /** Continue at the next instruction if the position satisfies assertion `a`. */
  Assert = 4,
  Match = 5,
}

/** Largest program accepted; RE2 enforces a similar cap through its memory budget. */
export const MAX_INSTRUCTIONS: i32 = 100_000;

/** A compiled regular expression: instructions and the class tables they refer to. */
export class Program {
  /** op, a, b per instruction. */
  instructions: StaticArray<i32>;
  /** 128-bit ASCII membership bitmap per class (4 words each). */
  classAscii: StaticArray<u32>;
  /** Class k's ranges are pairs [classRangeStart[k], classRangeStart[k+1]) of classRanges. */
  classRangeStart: StaticArray<i32>;
  /** Flat inclusive [lo, hi] pairs, sorted per class. */
  classRanges: StaticArray<u32>;
  /** Number of instructions. */
  length: i32;

  constructor(instructions: Array<i32>, classes: Array<CharClass>) {
    this.length = instructions.length / 3;
    this.instructions = StaticArray.fromArray<i32>(instructions);
    const count = classes.length;
    this.classAscii = new StaticArray<u32>(count * 4);
    this.classRangeStart = new StaticArray<i32>(count + 1);
    let total = 0;
    for (let k = 0; k < count; k++) total += classes[k].ranges.length;
    this.classRanges = new StaticArray<u32>(total * 2);
    let at = 0;
    for (let k = 0; k < count; k++) {
      const ranges = classes[k].ranges;
      unchecked(this.classRangeStart[k] = at);
      for (let r = 0; r < ranges.length; r++) {
        const lo = rangeLow(unchecked(ranges[r]));
        const hi = rangeHigh(unchecked(ranges[r]));
        unchecked(this.classRanges[at * 2] = lo);
        unchecked(this.classRanges[at * 2 + 1] = hi);
        at++;
        for (let c = lo; c <= hi && c < 128; c++) {
          const word = k * 4 + <i32>(c >> 5);
          unchecked(this.classAscii[word] = this.classAscii[word] | (1 << (c & 31)));
        }
      }
    }
    unchecked(this.classRangeStart[count] = at);
  }

  /** Whether class `k` contains code point `c`; allocation-free. */
  // @ts-ignore: decorator
  @inline classContains(k: i32, c: i32): bool {
    if (c < 128) return (unchecked(this.classAscii[k * 4 + (c >> 5)]) & (1 << (c & 31))) != 0;
    let low = unchecked(this.classRangeStart[k]);
    let high = unchecked(this.classRangeStart[k + 1]) - 1;
    const ranges = this.classRanges;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (<u32>c < unchecked(ranges[mid * 2])) high = mid - 1;
      else if (<u32>c > unchecked(ranges[mid * 2 + 1])) low = mid + 1;
      else return true;
    }
    return false;
  }
}

/** Translates a parsed expression into a {@link Program} (Thompson construction). */
export class ProgramCompiler {
  private instructions: Array<i32> = new Array<i32>();
  private classes: Array<CharClass> = new Array<CharClass>();
  error: string | null = null;

  compile(root: RegexNode): Program | null {
    if (!this.emit(root, 1)) return null;
    this.add(Op.Match, 0, 0);
    return new Program(this.instructions, this.classes);
  }

  private get pc(): i32 {
    return this.instructions.length / 3;
  }

  private add(op: Op, a: i32, b: i32): i32 {
    const pc = this.pc;
    this.instructions.push(op);
    this.instructions.push(a);
    this.instructions.push(b);
    return pc;
  }

  private patchA(pc: i32, target: i32): void {
    this.instructions[pc * 3 + 1] = target;
  }

  private patchB(pc: i32, target: i32): void {
    this.instructions[pc * 3 + 2] = target;
  }

  private emit(node: RegexNode, repeatProduct: i32): bool {
    if (this.pc > MAX_INSTRUCTIONS) {
      this.error = "pattern too large: the compiled program exceeds " + MAX_INSTRUCTIONS.toString() + " instructions";
      return false;
    }
    switch (node.kind) {
      case NodeKind.Empty:
        return true;
      case NodeKind.Literal:
        this.add(Op.Char, node.codePoint, 0);
        return true;
      case NodeKind.Class: {
        const charClass = node.charClass!;
        const single = charClass.singleCodePoint();
        if (single >= 0) {
          this.add(Op.Char, single, 0);
          return true;
        }
        if (node.compiledClass < 0) {
          node.compiledClass = this.classes.length;
          this.classes.push(charClass);
        }
        this.add(Op.Class, node.compiledClass, 0);
        return true;
      }
      case NodeKind.Assert:
        this.add(Op.Assert, node.assertion, 0);
        return true;
      case NodeKind.Concat: {
        const children = node.children;
        for (let i = 0; i < children.length; i++) if (!this.emit(children[i], repeatProduct)) return false;
        return true;
      }
      case NodeKind.Alternate:
        return this.emitAlternate(node, repeatProduct);
      case NodeKind.Repeat:
        return this.emitRepeat(node, repeatProduct);
    }
    return false;
  }

  private emitAlternate(node: RegexNode, repeatProduct: i32): bool {
    const children = node.children;
    const jumps = new Array<i32>();
    for (let i = 0; i < children.length; i++) {
      if (i == children.length - 1) {
        if (!this.emit(children[i], repeatProduct)) return false;
        break;
      }
      const split = this.add(Op.Split, this.pc + 1, 0);
      if (!this.emit(children[i], repeatProduct)) return false;
      jumps.push(this.add(Op.Jump, 0, 0));
      this.patchB(split, this.pc);
    }
    const end = this.pc;
    for (let i = 0; i < jumps.length; i++) this.patchA(jumps[i], end);
    return true;
  }

  private emitRepeat(node: RegexNode, repeatProduct: i32): bool {
    const child = node.children[0];
    const minCount = node.min;
    const maxCount = node.max;
    let product = repeatProduct;
    if (node.counted) {
      // RE2 bounds the product of nested counted repeats, so {n} cannot blow up the program.
      product = repeatProduct * max(1, maxCount < 0 ? minCount : maxCount);
      if (product > MAX_REPEAT) {
        this.error = "bad repetition operator: nested counted repetitions multiply to more than " + MAX_REPEAT.toString() + " at position " + node.position.toString();
        return false;
      }
    }
    if (maxCount < 0) {
      if (minCount == 0) {
        // L: split body, end; body; jump L
        const loop = this.add(Op.Split, this.pc + 1, 0);
        if (!this.emit(child, product)) return false;
        this.add(Op.Jump, loop, 0);
        this.patchB(loop, this.pc);
        return true;
      }
      for (let i = 0; i < minCount - 1; i++) if (!this.emit(child, product)) return false;
      // L: body; split L, next
      const start = this.pc;
      if (!this.emit(child, product)) return false;
      this.add(Op.Split, start, this.pc + 1);
      return true;
    }
    for (let i = 0; i < minCount; i++) if (!this.emit(child, product)) return false;
    // Optional copies: split body, end; body; split body2, end; body2; ... end
    const splits = new Array<i32>();
    for (let i = minCount; i < maxCount; i++) {
      splits.push(this.add(Op.Split, this.pc + 1, 0));
      if (!this.emit(child, product)) return false;
    }
    const end = this.pc;
    for (let i = 0; i < splits.length; i++) this.patchB(splits[i], end);
    return true;
  }
}
