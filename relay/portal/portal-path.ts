/**
 * Paths under /api/mcp are built here and only here, from fixed text and validated ids: the
 * portal client accepts nothing else (a branded type), so no tool argument can reach a path
 * unchecked.
 */
import { isPortalId } from '../protocol/ids';

declare const portalPathBrand: unique symbol;
/** A path under /api/mcp whose every variable segment is a portal id. */
export type PortalPath = string & { readonly [portalPathBrand]: true };

/** Fixed parts: lowercase path words, never a dot segment. */
const FIXED_PART = /^(\/[a-z]+)*\/?$/;

export class UnsafePathError extends Error {
  constructor(what: string) {
    super(`refused to build a portal path: ${what}`);
    this.name = 'UnsafePathError';
  }
}

/**
 * portalPath`/doctors/${doctorId}/slots` — each `${}` must be a whole segment and a portal id;
 * anything else throws before any request exists.
 */
export function portalPath(fixed: TemplateStringsArray, ...ids: string[]): PortalPath {
  let path = '';
  for (const [i, part] of fixed.entries()) {
    if (!FIXED_PART.test(part)) throw new UnsafePathError('unexpected fixed text');
    if (i > 0 && !part.startsWith('/') && part !== '') {
      throw new UnsafePathError('an id must be a whole segment');
    }
    path += part;
    if (i < ids.length) {
      const id = ids[i] ?? '';
      if (!path.endsWith('/')) throw new UnsafePathError('an id must be a whole segment');
      if (!isPortalId(id)) throw new UnsafePathError('not a portal id');
      path += id;
    }
  }
  if (!path.startsWith('/')) throw new UnsafePathError('a path starts with /');
  return path as PortalPath;
}
