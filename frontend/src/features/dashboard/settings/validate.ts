/** Validate settings against the widget type's JSON Schema (Draft 2020-12, as the server does). */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema'

// Ajv compiles schemas to functions (new Function), which the CSP forbids ('unsafe-eval');
// @cfworker/json-schema interprets them instead. The annotations of the editor
// (x-deskboard-source, x-deskboard-labels) are unknown keywords to it, so they are ignored.
// Its output is a flat list of units (wrappers included), turned here into short messages per field.

/** Messages per top-level setting ('' for the object as a whole); empty when valid. */
export type SettingsErrors = Record<string, string[]>

interface Compiled {
  validator: Validator
  schema: unknown
}

// The validator annotates the schema it is given: give it a copy (the store's may be reactive or
// read-only), once per schema object rather than on every keystroke.
const compiled = new WeakMap<object, Compiled>()

function compile(schema: object): Compiled {
  let entry = compiled.get(schema)
  if (!entry) {
    const copy = JSON.parse(JSON.stringify(schema)) as Schema
    entry = { validator: new Validator(copy, '2020-12', false), schema: copy }
    compiled.set(schema, entry)
  }
  return entry
}

// Units that only say "a subschema had errors": the units after them say what is wrong.
const WRAPPERS = new Set([
  '$ref', '$recursiveRef', 'properties', 'patternProperties', 'additionalProperties', 'unevaluatedProperties',
  'items', 'prefixItems', 'additionalItems', 'unevaluatedItems', 'allOf', 'anyOf', 'if', 'dependentSchemas',
])

/** '#/a~1b/0' -> ['a/b', '0'] (the library percent-encodes the pointer's segments). */
function segments(location: string): string[] {
  return location
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The schema value a unit's keywordLocation points at, following local $refs ('#/$defs/X'). */
function schemaAt(root: unknown, keywordLocation: string): unknown {
  const step = (node: unknown, key: string) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined)
  let node: unknown = root
  for (const key of segments(keywordLocation)) {
    const ref = step(node, '$ref')
    if (key === '$ref' && typeof ref === 'string' && ref.startsWith('#')) node = segments(ref).reduce(step, root)
    else node = step(node, key)
  }
  return node
}

function ajvMessage(unit: OutputUnit, value: unknown): string {
  switch (unit.keyword) {
    case 'type':
      return `must be ${Array.isArray(value) ? value.join(',') : String(value)}`
    case 'enum':
      return 'must be equal to one of the allowed values'
    case 'minimum':
      return `must be >= ${String(value)}`
    case 'maximum':
      return `must be <= ${String(value)}`
    case 'exclusiveMinimum':
      return `must be > ${String(value)}`
    case 'exclusiveMaximum':
      return `must be < ${String(value)}`
    case 'multipleOf':
      return `must be multiple of ${String(value)}`
    case 'minLength':
      return `must NOT have fewer than ${String(value)} characters`
    case 'maxLength':
      return `must NOT have more than ${String(value)} characters`
    case 'minItems':
      return `must NOT have fewer than ${String(value)} items`
    case 'maxItems':
      return `must NOT have more than ${String(value)} items`
    case 'uniqueItems':
      return 'must NOT have duplicate items'
    case 'minProperties':
      return `must NOT have fewer than ${String(value)} properties`
    case 'maxProperties':
      return `must NOT have more than ${String(value)} properties`
    case 'format':
      return `must match format "${String(value)}"`
    case 'not':
      return 'must NOT be valid'
    case 'false':
      return 'boolean schema is false'
    case 'oneOf':
      return 'must match exactly one schema in oneOf'
    default:
      return 'is invalid'
  }
}

/**
 * A property that is not allowed: the library reports the `false` schema it met (its location is
 * the property's), right after the additionalProperties unit of the object it is in.
 */
function isExtra(unit: OutputUnit, before: OutputUnit | undefined): boolean {
  if (unit.keyword !== 'false' || !before || !/^(additionalProperties|unevaluatedProperties)$/.test(before.keyword)) return false
  return unit.instanceLocation.startsWith(`${before.instanceLocation}/`)
}

function fieldAndMessage(unit: OutputUnit, before: OutputUnit | undefined, root: unknown): [string, string] {
  const path = segments(unit.instanceLocation)
  const where = path.length > 1 ? `${path.slice(1).join(' ')}: ` : ''
  if (unit.keyword === 'required') {
    // The unit sits on the object; the missing name is only in its text (pinned by the tests).
    const missing = /property "(.*)"\.$/s.exec(unit.error)?.[1] ?? ''
    return [path[0] ?? missing, 'is required']
  }
  if (isExtra(unit, before)) return [path[0] ?? '', 'is not a setting of this widget']
  const field = path[0] ?? ''
  if (unit.keyword === 'pattern') return [field, `${where}has the wrong format`]
  if (unit.keyword === 'const') return [field, `${where}is not one of the choices`]
  return [field, `${where}${ajvMessage(unit, schemaAt(root, unit.keywordLocation))}`]
}

function isUnder(unit: OutputUnit, parent: OutputUnit): boolean {
  const at = unit.instanceLocation
  const inside = at === parent.instanceLocation || at.startsWith(`${parent.instanceLocation}/`)
  return inside && unit.keywordLocation.startsWith(`${parent.keywordLocation}/`)
}

/** Whether some branch of a failed oneOf matched (then it failed by matching more than one). */
function someBranchMatched(oneOf: OutputUnit, units: OutputUnit[], root: unknown): boolean {
  const branches = schemaAt(root, oneOf.keywordLocation)
  const failed = new Set(units.filter((u) => isUnder(u, oneOf)).map((u) => u.keywordLocation.slice(oneOf.keywordLocation.length + 1).split('/')[0]))
  return Array.isArray(branches) && failed.size < branches.length
}

export function validateSettings(schema: object, settings: unknown): SettingsErrors {
  const { validator, schema: root } = compile(schema)
  // Validate what would be sent: JSON (no undefined members, which the library refuses to take).
  const result = validator.validate(JSON.parse(JSON.stringify(settings ?? null)) as unknown)
  if (result.valid) return {}
  const oneOfs = result.errors.filter((unit) => unit.keyword === 'oneOf')
  const matched = oneOfs.filter((unit) => someBranchMatched(unit, result.errors, root))
  const errors: SettingsErrors = {}
  for (const [index, unit] of result.errors.entries()) {
    if (WRAPPERS.has(unit.keyword)) continue
    // oneOf of choices (`const`s) that none matched: the branch units say "not one of the choices" once.
    if (unit.keyword === 'oneOf' && !matched.includes(unit)) continue
    // oneOf matched by several branches: that is the error, not the branches that failed.
    if (matched.some((oneOf) => isUnder(unit, oneOf))) continue
    const [field, message] = fieldAndMessage(unit, result.errors[index - 1], root)
    const list = (errors[field] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  if (Object.keys(errors).length === 0) errors[''] = ['These settings are not valid']
  return errors
}
