import { joinFieldPath, type ConfigIssue } from "./config-error.js";
import type { SourceDocument } from "./yaml-documents.js";

/** An issue about a field of a loaded resource, located in its file. */
export function resourceIssue(
  resource: { kind: string; namespace: string; name: string; source: SourceDocument },
  path: (string | number)[],
  message: string,
): ConfigIssue {
  const position = resource.source.locate(path);
  return {
    file: resource.source.file,
    documentIndex: resource.source.documentIndex,
    resource: `${resource.kind} ${resource.namespace}/${resource.name}`,
    fieldPath: joinFieldPath(path),
    line: position?.line,
    column: position?.column,
    message,
  };
}
