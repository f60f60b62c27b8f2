/** A compiled Azure Functions route template (`commands/{commandId}/events`, `{name?}`, `{id:guid}`). */
export interface RouteTemplate {
  /** Route parameters by name when `path` matches, else undefined. */
  match(path: string): Record<string, string> | undefined;
  /** Literal segments count: the more literal route wins when two match. */
  readonly specificity: number;
}

export function compileRoute(template: string): RouteTemplate {
  const segments = template.replace(/^\/+|\/+$/g, '').split('/');
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
      return Object.fromEntries(
        names.flatMap((name, index) => {
          const value = found[index + 1];
          return value === undefined ? [] : [[name, decodeURIComponent(value)]];
        }),
      );
    },
  };
}
