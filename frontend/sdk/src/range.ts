/**
 * Plugin API ranges: comma-separated comparisons on whole versions, as the manifests write them
 * (">=1,<2", "==1", "1", "~=1", "^1"). Anything else is refused, never guessed.
 */

const CLAUSE = /^(>=|<=|==|!=|>|<|~=|\^)?\s*(\d+)(?:\.\d+)*(?:\.\*)?$/

/** Whether `version` satisfies `range`; throws on a range it cannot read. */
export function satisfiesRange(range: string, version: number): boolean {
  const clauses = range
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
  if (clauses.length === 0) throw new Error(`empty plugin API range "${range}"`)
  return clauses.every((clause) => {
    const match = CLAUSE.exec(clause)
    if (!match) throw new Error(`unreadable plugin API range "${range}"`)
    const bound = Number(match[2])
    switch (match[1]) {
      case '>=':
        return version >= bound
      case '<=':
        return version <= bound
      case '>':
        return version > bound
      case '<':
        return version < bound
      case '!=':
        return version !== bound
      default: // "==", "~=", "^" and a bare number: the same major version
        return version === bound
    }
  })
}

/** Null when a plugin declaring `range` may run on `version`, else the reason it may not. */
export function rangeRefusal(range: unknown, version: number): string | null {
  if (typeof range !== 'string') return null
  try {
    return satisfiesRange(range, version)
      ? null
      : `This plugin needs plugin API ${range}; this Deskboard provides plugin API ${version}.`
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
