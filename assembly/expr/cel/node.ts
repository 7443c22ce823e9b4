/**
 * The compiled form of an expression: a small tree built once by the parser.
 * Attribute chains are already folded into one {@link AttributePath}, so
 * evaluation never looks at names again.
 */
import { AttributePath } from "./attribute-source";
import { CelValue } from "./value";

export const enum Op {
  Literal, Attribute, Index, List,
  Not, Negate, And, Or, Conditional,
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, In,
  Add, Subtract, Multiply, Divide, Modulo,
  Has, Size, ToInt, ToString, StartsWith, EndsWith, Contains,
}

export class CelNode {
  /** Operands: a, b, c as the op needs (Conditional uses all three). */
  a: CelNode | null = null;
  b: CelNode | null = null;
  c: CelNode | null = null;
  /** Literal value (Literal). */
  value: CelValue | null = null;
  /** Attribute path (Attribute). */
  path: AttributePath | null = null;
  /** List literal items (List). */
  items: CelNode[] | null = null;

  constructor(readonly op: Op) {}

  static literal(value: CelValue): CelNode {
    const node = new CelNode(Op.Literal);
    node.value = value;
    return node;
  }

  static attribute(parts: string[]): CelNode {
    const node = new CelNode(Op.Attribute);
    node.path = new AttributePath(parts);
    return node;
  }

  static unary(op: Op, a: CelNode): CelNode {
    const node = new CelNode(op);
    node.a = a;
    return node;
  }

  static binary(op: Op, a: CelNode, b: CelNode): CelNode {
    const node = new CelNode(op);
    node.a = a;
    node.b = b;
    return node;
  }
}
