/**
 * Istio's path templates in `operation.paths`: `{*}` matches one path
 * segment, `{**}` any number of them (also none) and must be the last
 * operator. Istio validates them (pkg/config/security/security.go
 * `CheckValidPathTemplate`) and hands them to Envoy's uri_template matcher
 * as `*`/`**` (pilot/pkg/security/authz/matcher/template.go), which turns
 * them into a regex (source/extensions/path/uri_template_lib/
 * uri_template_internal.cc): `*` = one or more pchars, `**` = pchars and
 * '/' any number of times, literals exact, segments joined by '/', matched
 * against the whole path without query and fragment.
 */

const enum Token { Literal = 0, OneSegment = 1, AnySegments = 2 }

export const MATCH_ONE = "{*}";
export const MATCH_ANY = "{**}";

/** Why the last {@link PathTemplate.parse} returned null. */
export let pathTemplateError: string = "";

/** RFC 3986 pchar minus '*' and '=', the characters Envoy's templates accept in literals and globs. */
export function isTemplateChar(c: i32): bool {
  if ((c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)) return true;
  switch (c) {
    case 0x2D: case 0x2E: case 0x5F: case 0x7E: // - . _ ~
    case 0x25: // %
    case 0x21: case 0x24: case 0x26: case 0x27: case 0x28: case 0x29: case 0x2B: case 0x2C: case 0x3B: // ! $ & ' ( ) + , ;
    case 0x3A: case 0x40: // : @
      return true;
  }
  return false;
}

/** Whether `value` uses a template operator, which makes it a template rather than an exact/prefix/suffix path. */
export function containsPathTemplate(value: string): bool {
  return value.includes(MATCH_ONE) || value.includes(MATCH_ANY);
}

/** True when a path written without templates still has '{' or '}', which Istio rejects. */
export function hasStrayBraces(value: string): bool {
  return value.includes("{") || value.includes("}");
}

export class PathTemplate {
  private constructor(private readonly kinds: Token[], private readonly literals: string[]) {}

  /** Compiles `template`; null with {@link pathTemplateError} when Istio or Envoy would reject it. */
  static parse(template: string): PathTemplate | null {
    if (template.length == 0 || template.charCodeAt(0) != 0x2F) {
      pathTemplateError = "a path template must start with '/'";
      return null;
    }
    const kinds = new Array<Token>();
    const literals = new Array<string>();
    let pending = "/";
    let seenAny = false;
    const segments = template.substring(1).split("/");
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      const last = i == segments.length - 1;
      if (i > 0) pending += "/";
      if (segment == MATCH_ONE || segment == MATCH_ANY) {
        if (seenAny) {
          pathTemplateError = "{**} must be the last operator";
          return null;
        }
        seenAny = segment == MATCH_ANY;
        kinds.push(Token.Literal);
        literals.push(pending);
        pending = "";
        kinds.push(seenAny ? Token.AnySegments : Token.OneSegment);
        literals.push("");
        continue;
      }
      // A single trailing '/' is allowed; every other segment must be a non-empty literal.
      if (segment.length == 0 && last && i > 0) continue;
      if (segment.length == 0) {
        pathTemplateError = "empty path segment";
        return null;
      }
      if (hasStrayBraces(segment)) {
        pathTemplateError = "'{' or '}' outside {*} and {**}";
        return null;
      }
      for (let k = 0; k < segment.length; k++) {
        if (!isTemplateChar(segment.charCodeAt(k))) {
          pathTemplateError = "segment \"" + segment + "\" has a character outside RFC 3986 pchar";
          return null;
        }
      }
      pending += segment;
    }
    kinds.push(Token.Literal);
    literals.push(pending);
    pathTemplateError = "";
    return new PathTemplate(kinds, literals);
  }

  /** Whether `path` (query and fragment already removed) matches. */
  matches(path: string): bool {
    return this.matchFrom(0, path, 0);
  }

  private matchFrom(token: i32, path: string, at: i32): bool {
    const count = this.kinds.length;
    while (token < count) {
      const kind = unchecked(this.kinds[token]);
      if (kind == Token.Literal) {
        const literal = unchecked(this.literals[token]);
        const length = literal.length;
        if (at + length > path.length) return false;
        for (let i = 0; i < length; i++) {
          if (path.charCodeAt(at + i) != literal.charCodeAt(i)) return false;
        }
        at += length;
        token++;
        continue;
      }
      // Longest run the glob may take, then back off one character at a time.
      const slashAllowed = kind == Token.AnySegments;
      let end = at;
      while (end < path.length) {
        const c = path.charCodeAt(end);
        if (!isTemplateChar(c) && !(slashAllowed && c == 0x2F)) break;
        end++;
      }
      const shortest = slashAllowed ? at : at + 1;
      for (let stop = end; stop >= shortest; stop--) {
        if (this.matchFrom(token + 1, path, stop)) return true;
      }
      return false;
    }
    return at == path.length;
  }
}
