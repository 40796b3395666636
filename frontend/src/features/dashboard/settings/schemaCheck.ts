/**
 * A JSON Schema (Draft 2020-12) checker that interprets the schema rather than compiling it to
 * code: the app's Content-Security-Policy has no 'unsafe-eval', which Ajv's compiler needs.
 * It covers what widget settings schemas use (the server's own validator stays the authority);
 * an unknown keyword is ignored, an unknown format accepted. Errors have Ajv's shape and messages.
 */

export interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message: string
}

type Schema = Record<string, unknown> | boolean

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isDate(value: string): boolean {
  const match = DATE.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS[month]!)
}

const FORMATS: Record<string, (value: string) => boolean> = {
  date: isDate,
  'date-time': (value) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
  email: (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value)
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value)
  return typeOf(value) === type
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  if (keysA.length !== keysB.length) return false
  return keysA.every((key) => equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}

/** Characters as Ajv counts them: code points, not UTF-16 units. */
function length(text: string): number {
  return [...text].length
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) return true // remote references: not fetched, not checked
  let node: unknown = root
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
  }
  return node === undefined ? true : (node as Schema)
}

class Checker {
  constructor(private readonly root: Schema) {}

  check(schema: Schema, data: unknown, path: string, errors: SchemaError[]): boolean {
    if (schema === true) return true
    if (schema === false) return this.fail(errors, 'false schema', path, {}, 'boolean schema is false')
    const before = errors.length
    const s = schema
    const fail = (keyword: string, params: Record<string, unknown>, message: string) =>
      this.fail(errors, keyword, path, params, message)

    if (typeof s.$ref === 'string') this.check(resolve(this.root, s.$ref), data, path, errors)
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string]
      if (!types.some((type) => hasType(data, type))) {
        fail('type', { type: s.type }, `must be ${types.join(',')}`)
        return false // Ajv stops at a wrong type: the other keywords would only repeat it
      }
    }
    if (Array.isArray(s.enum) && !s.enum.some((option) => equal(option, data))) {
      fail('enum', { allowedValues: s.enum }, 'must be equal to one of the allowed values')
    }
    if ('const' in s && !equal(s.const, data)) {
      fail('const', { allowedValue: s.const }, 'must be equal to constant')
    }
    if (typeof data === 'number') this.number(s, data, fail)
    if (typeof data === 'string') this.string(s, data, fail)
    if (Array.isArray(data)) this.array(s, data, path, errors, fail)
    if (typeOf(data) === 'object') this.object(s, data as Record<string, unknown>, path, errors, fail)
    if (Array.isArray(s.allOf)) for (const part of s.allOf as Schema[]) this.check(part, data, path, errors)
    if (Array.isArray(s.anyOf)) this.anyOf(s.anyOf as Schema[], data, path, errors, fail)
    if (Array.isArray(s.oneOf)) this.oneOf(s.oneOf as Schema[], data, path, errors, fail)
    if (s.not !== undefined && this.check(s.not as Schema, data, path, [])) fail('not', {}, 'must NOT be valid')
    return errors.length === before
  }

  private fail(errors: SchemaError[], keyword: string, instancePath: string, params: Record<string, unknown>, message: string): false {
    errors.push({ keyword, instancePath, params, message })
    return false
  }

  private number(s: Record<string, unknown>, data: number, fail: Fail): void {
    const bound = (keyword: string, ok: (limit: number) => boolean, op: string) => {
      const limit = s[keyword]
      if (typeof limit === 'number' && !ok(limit)) fail(keyword, { comparison: op, limit }, `must be ${op} ${limit}`)
    }
    bound('minimum', (limit) => data >= limit, '>=')
    bound('maximum', (limit) => data <= limit, '<=')
    bound('exclusiveMinimum', (limit) => data > limit, '>')
    bound('exclusiveMaximum', (limit) => data < limit, '<')
    if (typeof s.multipleOf === 'number' && !Number.isInteger(data / s.multipleOf)) {
      fail('multipleOf', { multipleOf: s.multipleOf }, `must be multiple of ${s.multipleOf}`)
    }
  }

  private string(s: Record<string, unknown>, data: string, fail: Fail): void {
    if (typeof s.minLength === 'number' && length(data) < s.minLength) {
      fail('minLength', { limit: s.minLength }, `must NOT have fewer than ${s.minLength} characters`)
    }
    if (typeof s.maxLength === 'number' && length(data) > s.maxLength) {
      fail('maxLength', { limit: s.maxLength }, `must NOT have more than ${s.maxLength} characters`)
    }
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(data)) {
      fail('pattern', { pattern: s.pattern }, `must match pattern "${s.pattern}"`)
    }
    const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined
    if (format && !format(data)) fail('format', { format: s.format }, `must match format "${String(s.format)}"`)
  }

  private array(s: Record<string, unknown>, data: unknown[], path: string, errors: SchemaError[], fail: Fail): void {
    if (typeof s.minItems === 'number' && data.length < s.minItems) {
      fail('minItems', { limit: s.minItems }, `must NOT have fewer than ${s.minItems} items`)
    }
    if (typeof s.maxItems === 'number' && data.length > s.maxItems) {
      fail('maxItems', { limit: s.maxItems }, `must NOT have more than ${s.maxItems} items`)
    }
    if (s.uniqueItems === true) {
      for (let i = data.length - 1; i > 0; i--) {
        const j = data.findIndex((other, index) => index < i && equal(other, data[i]))
        if (j >= 0) {
          fail('uniqueItems', { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`)
          break
        }
      }
    }
    const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : []
    data.forEach((item, index) => {
      const schema = index < prefix.length ? prefix[index] : (s.items as Schema | undefined)
      if (schema !== undefined) this.check(schema, item, `${path}/${index}`, errors)
    })
  }

  private object(s: Record<string, unknown>, data: Record<string, unknown>, path: string, errors: SchemaError[], fail: Fail): void {
    for (const name of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(name in data)) fail('required', { missingProperty: name }, `must have required property '${name}'`)
    }
    const properties = (s.properties ?? {}) as Record<string, Schema>
    for (const [name, value] of Object.entries(data)) {
      const where = `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`
      if (name in properties) this.check(properties[name]!, value, where, errors)
      else if (s.additionalProperties === false) {
        fail('additionalProperties', { additionalProperty: name }, 'must NOT have additional properties')
      } else if (s.additionalProperties !== undefined) {
        this.check(s.additionalProperties as Schema, value, where, errors)
      }
    }
  }

  private anyOf(branches: Schema[], data: unknown, path: string, errors: SchemaError[], fail: Fail): void {
    const found: SchemaError[] = []
    if (branches.some((branch) => this.check(branch, data, path, found))) return
    errors.push(...found)
    fail('anyOf', {}, 'must match a schema in anyOf')
  }

  private oneOf(branches: Schema[], data: unknown, path: string, errors: SchemaError[], fail: Fail): void {
    const found: SchemaError[] = []
    const passing = branches.flatMap((branch, index) => (this.check(branch, data, path, found) ? [index] : []))
    if (passing.length === 1) return
    if (passing.length === 0) errors.push(...found)
    fail('oneOf', { passingSchemas: passing.length ? passing : null }, 'must match exactly one schema in oneOf')
  }
}

type Fail = (keyword: string, params: Record<string, unknown>, message: string) => void

/** Every error of `data` against `schema` (empty when valid). */
export function checkSchema(schema: object | boolean, data: unknown): SchemaError[] {
  const errors: SchemaError[] = []
  new Checker(schema as Schema).check(schema as Schema, data, '', errors)
  return errors
}
