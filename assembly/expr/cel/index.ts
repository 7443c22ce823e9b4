/**
 * A CEL subset for attribute expressions (Istio telemetry dimensions, RBAC
 * and routing conditions): parse once with {@link CelExpression.compile},
 * evaluate per request with {@link CelExpression.evaluate} against any
 * {@link AttributeSource}.
 */
import { AttributeSource } from "./attribute-source";
import { evaluate } from "./evaluate";
import { CelNode } from "./node";
import { CelParser } from "./parser";
import { CelValue } from "./value";

export { AttributePath, AttributeSource } from "./attribute-source";
export { CelKind, CelValue } from "./value";

export class CelExpression {
  /** Why the last {@link CelExpression.compile} returned null: names the expression and the byte offset. */
  static lastError: string = "";

  private constructor(readonly text: string, private readonly root: CelNode) {}

  /** Parses `text`; null on a syntax error (see {@link CelExpression.lastError}). */
  static compile(text: string): CelExpression | null {
    const parser = new CelParser(text);
    const root = parser.parse();
    if (root === null) {
      const byte = String.UTF8.byteLength(text.substring(0, parser.errorAt));
      CelExpression.lastError = "invalid expression \"" + text + "\" at byte " + byte.toString() + ": " + parser.error;
      return null;
    }
    CelExpression.lastError = "";
    return new CelExpression(text, root);
  }

  /** The value for the attributes `source` provides; an Error value when evaluation fails. */
  evaluate(source: AttributeSource): CelValue {
    return evaluate(this.root, source);
  }
}
