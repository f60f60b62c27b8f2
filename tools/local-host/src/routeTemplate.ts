/** A compiled Azure Functions route template (`commands/{commandId}/events`, `{name?}`, `{id:guid}`). */
export interface RouteTemplate {
  /** Route parameters by name (percent-decoded) when `path` matches, else undefined (also for a malformed %-escape). */
  match(path: string): Record<string, string> | undefined;
  /** Literal segments count: the more literal route wins when two match. */
  readonly specificity: number;
}

export function compileRoute(template: string): RouteTemplate {
  const segments = template.split('/').filter((segment) => segment !== '');
  const names: string[] = [];
  const pattern = segments
    .map((segment) => {
      const parameter = /^\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}?]+)?(\?)?\}$/.exec(segment);
      if (!parameter) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      names.push(parameter[1] as string);
      return parameter[2] ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  const regex = new RegExp(`^${pattern}/?$`, 'i');
  return {
    specificity: segments.filter((s) => !s.startsWith('{')).length,
    match(path) {
      const found = regex.exec(path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      for (const [index, name] of names.entries()) {
        const value = found[index + 1];
        if (value === undefined) continue;
        const decoded = decodePathSegment(value);
        if (decoded === undefined) return undefined;
        params[name] = decoded;
      }
      return params;
    },
  };
}

/** A percent-decoded path segment, or undefined when its %-escapes are malformed. */
export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
