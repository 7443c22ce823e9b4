/**
 * Envoy's tag extraction (`stats_config.stats_tags`): each `TagSpecifier` regex runs on the full stat
 * name (for Wasm metrics `wasmcustom.` included); on a match, capture group 1 is cut out of the name and
 * group 2 (or group 1 when there is no second group) becomes the tag value (envoy api
 * config/metrics/v3/stats.proto `TagSpecifier.regex`; source/common/stats/tag_extractor_impl.cc).
 * Every extractor runs on the original name; the cut ranges are removed together at the end
 * (source/common/stats/tag_producer_impl.cc `produceTags`).
 */

/** `envoy.config.metrics.v3.TagSpecifier` in proto3 JSON (snake_case) form. */
export interface TagSpecifier {
  tag_name: string;
  /** A regex in Envoy's dialect (ECMAScript, with POSIX bracket classes such as `[:digit:]`). */
  regex?: string;
  /** A tag every stat gets, with this value. */
  fixed_value?: string;
}

/**
 * The tags of Istio's sidecar bootstrap (istio/istio tools/packaging/common/envoy_bootstrap.json,
 * `stats_config.stats_tags`), with one `(<tag>=\.=(.*?);\.;)` rule per extra stat tag inserted where
 * the template puts them (after `mongo_prefix`, before `cache`).
 */
export function istioBootstrapStatsTags(extraStatTags: readonly string[]): TagSpecifier[] {
  const digitsOrIp = "((?:[_.[:digit:]]*|[_\\[\\]aAbBcCdDeEfF[:digit:]]*))";
  return [
    { tag_name: "cluster_name", regex: "^cluster\\.((.+?(\\..+?\\.svc\\.cluster\\.local)?)\\.)" },
    { tag_name: "tcp_prefix", regex: "^tcp\\.((.*?)\\.)\\w+?$" },
    { tag_name: "response_code", regex: "_rq(_(\\d{3}))$" },
    { tag_name: "response_code_class", regex: "_rq(_(\\dxx))$" },
    { tag_name: "http_conn_manager_listener_prefix", regex: `^listener(?=\\.).*?\\.http\\.(${digitsOrIp}\\.)` },
    { tag_name: "http_conn_manager_prefix", regex: `^http\\.(${digitsOrIp}\\.)` },
    { tag_name: "listener_address", regex: `^listener\\.(${digitsOrIp}\\.)` },
    { tag_name: "mongo_prefix", regex: "^mongo\\.(.+?)\\.(collection|cmd|cx_|op_|delays_|decoding_)(.*?)$" },
    ...[...new Set(extraStatTags)].filter((tag) => tag !== "").map((tag) => ({ tag_name: tag, regex: `(${tag}=\\.=(.*?);\\.;)` })),
    { tag_name: "cache", regex: "(cache\\.(.+?)\\.)" },
    { tag_name: "component", regex: "(component\\.(.+?)\\.)" },
    { tag_name: "tag", regex: "(tag\\.(.+?);\\.)" },
    { tag_name: "wasm_filter", regex: "(wasm_filter\\.(.+?)\\.)" },
    { tag_name: "authz_enforce_result", regex: "rbac(\\.(allowed|denied))" },
    { tag_name: "authz_dry_run_action", regex: "(\\.istio_dry_run_(allow|deny)_)" },
    { tag_name: "authz_dry_run_result", regex: "(\\.shadow_(allowed|denied))" },
  ];
}

const POSIX_CLASSES: Record<string, string> = {
  digit: "0-9",
  alpha: "A-Za-z",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  xdigit: "0-9A-Fa-f",
  punct: "!-\\/:-@\\[-`{-~",
};

/** Rewrites POSIX bracket classes (`[_.[:digit:]]`), which JavaScript regexes lack, into ranges. */
export function translateEnvoyRegex(regex: string): string {
  return regex.replace(/\[:([a-z]+):\]/g, (whole, name: string) => POSIX_CLASSES[name] ?? whole);
}

/** A name split into its tag-extracted name and tags. */
export interface ExtractedName {
  name: string;
  tags: Record<string, string>;
}

interface CompiledSpecifier {
  tagName: string;
  regex?: RegExp;
  fixedValue?: string;
}

/** Applies a list of tag specifiers to stat names, as Envoy's tag producer does. */
export class TagExtractor {
  private readonly specifiers: CompiledSpecifier[];

  /** Throws a SyntaxError naming the tag when a regex does not compile. */
  constructor(specifiers: readonly TagSpecifier[]) {
    this.specifiers = specifiers.map((specifier) => {
      if (specifier.fixed_value !== undefined) return { tagName: specifier.tag_name, fixedValue: specifier.fixed_value };
      if (specifier.regex === undefined) throw new SyntaxError(`stats tag "${specifier.tag_name}" has neither regex nor fixed_value`);
      try {
        // `d` gives group indices: the cut must be group 1's exact range, not a search for its text.
        return { tagName: specifier.tag_name, regex: new RegExp(translateEnvoyRegex(specifier.regex), "d") };
      } catch (error) {
        throw new SyntaxError(`stats tag "${specifier.tag_name}": invalid regex ${specifier.regex}: ${(error as Error).message}`);
      }
    });
  }

  extract(fullName: string): ExtractedName {
    const tags: Record<string, string> = {};
    const removed = new Array<boolean>(fullName.length).fill(false);
    for (const specifier of this.specifiers) {
      if (Object.prototype.hasOwnProperty.call(tags, specifier.tagName)) continue;
      if (specifier.fixedValue !== undefined) {
        tags[specifier.tagName] = specifier.fixedValue;
        continue;
      }
      const match = (specifier.regex as RegExp).exec(fullName);
      const cut = match?.indices?.[1];
      if (!match || !cut) continue;
      const value = match[2] ?? match[1] ?? "";
      tags[specifier.tagName] = value;
      for (let i = cut[0]; i < cut[1]; i++) removed[i] = true;
    }
    let name = "";
    for (let i = 0; i < fullName.length; i++) if (!removed[i]) name += fullName[i];
    return { name, tags };
  }
}
