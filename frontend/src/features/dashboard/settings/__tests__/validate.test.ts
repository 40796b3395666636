import Ajv2020, { type ErrorObject } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { validateSettings } from '../validate'

// Ajv (which needs 'unsafe-eval', so the app does not ship it) is the reference here: the
// validator the app uses must accept and refuse the same documents and flag the same settings.
const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 5 },
    code: { type: 'string', pattern: '^[a-z]+$' },
    day: { type: 'string', format: 'date' },
    at: { type: 'string', format: 'date-time' },
    mail: { type: 'string', format: 'email' },
    limit: { type: ['integer', 'null'], minimum: 1, maximum: 10 },
    ratio: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
    days: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 3, uniqueItems: true },
    unit: { oneOf: [{ const: 'c' }, { const: 'f' }] },
    size: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }] },
    day_name: { $ref: '#/$defs/Day' },
    filter: { anyOf: [{ $ref: '#/$defs/Filter' }, { type: 'null' }] },
    flag: { type: 'boolean' },
    'a/b c': { type: 'integer' },
  },
  $defs: {
    Day: { enum: ['mon', 'tue'] },
    Filter: {
      type: 'object',
      additionalProperties: false,
      required: ['status'],
      properties: { status: { type: 'array', items: { enum: ['open', 'new'] } }, created: { $ref: '#/$defs/Range' } },
    },
    Range: { type: 'object', properties: { from: { type: ['string', 'null'], format: 'date' } } },
  },
}

const documents: unknown[] = [
  { title: 'ok' },
  { title: '' },
  { title: 'too long' },
  { title: 'emoji😀😀' },
  {},
  { title: 'x', extra: 1 },
  { title: 'x', code: 'ABC' },
  { title: 'x', day: '2026-02-29' },
  { title: 'x', day: '2024-02-29' },
  { title: 'x', day: 'tomorrow' },
  { title: 'x', at: '2026-12-05T11:00:00Z' },
  { title: 'x', at: '2026-12-05T11:00:00' },
  { title: 'x', at: '2026-12-05 25:00:00Z' },
  { title: 'x', mail: 'sam@example.com' },
  { title: 'x', mail: 'sam@' },
  { title: 'x', mail: 'sam example.com' },
  { title: 'x', limit: null },
  { title: 'x', limit: 0 },
  { title: 'x', limit: 2.5 },
  { title: 'x', limit: 11 },
  { title: 'x', limit: '3' },
  { title: 'x', ratio: 0 },
  { title: 'x', ratio: 1.5 },
  { title: 'x', ratio: 1.2 },
  { title: 'x', days: [] },
  { title: 'x', days: [1, 2, 2] },
  { title: 'x', days: [1, 'x', 0, 4] },
  { title: 'x', unit: 'c' },
  { title: 'x', unit: 'k' },
  { title: 'x', size: 2.5 },
  { title: 'x', size: 2 },
  { title: 'x', size: -1.5 },
  { title: 'x', day_name: 'wed' },
  { title: 'x', filter: null },
  { title: 'x', filter: { status: ['open'], created: { from: '2026-01-01' } } },
  { title: 'x', filter: { status: ['shut'], created: { from: 'soon' } } },
  { title: 'x', filter: { nope: true } },
  { title: 'x', flag: 'yes' },
  { title: 'x', 'a/b c': 1 },
  { title: 'x', 'a/b c': 'one' },
  { title: 7, extra: 1, limit: 0, unit: 'k' },
  'not an object',
  null,
]

/** The settings Ajv's errors point at, by the rule validate.ts follows (first path segment). */
function ajvFields(errors: ErrorObject[]): string[] {
  const fields = errors.map((error) => {
    const name = error.instancePath.split('/')[1]
    if (name) return name.replace(/~1/g, '/').replace(/~0/g, '~')
    if (error.keyword === 'required') return String(error.params.missingProperty)
    if (error.keyword === 'additionalProperties') return String(error.params.additionalProperty)
    return ''
  })
  return [...new Set(fields)].sort()
}

describe('validateSettings', () => {
  const validate = ajv.compile(schema)

  it.each(documents.map((d) => [JSON.stringify(d), d]))('agrees with Ajv on %s', (_, document) => {
    const valid = validate(document)
    const errors = validateSettings(schema, document)
    expect(Object.keys(errors).length === 0).toBe(valid)
    expect(Object.keys(errors).sort()).toEqual(ajvFields(validate.errors ?? []))
  })

  it('says per setting what is wrong, in short words', () => {
    expect(validateSettings(schema, { title: 'ok' })).toEqual({})
    expect(validateSettings(schema, {})).toEqual({ title: ['is required'] })
    expect(validateSettings(schema, { title: '' })).toEqual({ title: ['must NOT have fewer than 1 characters'] })
    expect(validateSettings(schema, { title: 'x', extra: 1 })).toEqual({ extra: ['is not a setting of this widget'] })
    expect(validateSettings(schema, { title: 'x', code: 'ABC' })).toEqual({ code: ['has the wrong format'] })
    expect(validateSettings(schema, { title: 'x', day: '2026-02-29' })).toEqual({ day: ['must match format "date"'] })
    expect(validateSettings(schema, { title: 'x', limit: 0 })).toEqual({ limit: ['must be >= 1'] })
    expect(validateSettings(schema, { title: 'x', limit: '3' })).toEqual({ limit: ['must be integer,null'] })
    expect(validateSettings(schema, { title: 'x', ratio: 0 })).toEqual({ ratio: ['must be > 0'] })
    expect(validateSettings(schema, { title: 'x', day_name: 'wed' })).toEqual({ day_name: ['must be equal to one of the allowed values'] })
    expect(validateSettings(schema, { title: 'x', days: [1, 'x', 0, 4] })).toEqual({
      days: ['must NOT have more than 3 items', '1: must be integer', '2: must be >= 1'],
    })
    expect(validateSettings(schema, { title: 'x', days: [1, 2, 2] })).toEqual({ days: ['must NOT have duplicate items'] })
    expect(validateSettings(schema, { title: 'x', 'a/b c': 'one' })).toEqual({ 'a/b c': ['must be integer'] })
  })

  it('says a wrong choice once, and a oneOf matched twice as such', () => {
    expect(validateSettings(schema, { title: 'x', unit: 'k' })).toEqual({ unit: ['is not one of the choices'] })
    expect(validateSettings(schema, { title: 'x', size: 2 })).toEqual({ size: ['must match exactly one schema in oneOf'] })
    expect(validateSettings(schema, { title: 'x', size: -1.5 })).toEqual({ size: ['must be integer', 'must be >= 0'] })
  })

  it('drops the anyOf itself and reports what its branches found, through $refs', () => {
    expect(validateSettings(schema, { title: 'x', filter: { status: ['shut'], created: { from: 'soon' } } })).toEqual({
      filter: ['status 0: must be equal to one of the allowed values', 'created from: must match format "date"', 'must be null'],
    })
    expect(validateSettings(schema, { title: 'x', filter: { nope: true } })).toEqual({
      filter: ['is required', 'is not a setting of this widget', 'must be null'],
    })
  })

  it('reports a document that is not an object on the whole', () => {
    expect(validateSettings(schema, 'not an object')).toEqual({ '': ['must be object'] })
    expect(validateSettings(schema, undefined)).toEqual({ '': ['must be object'] })
  })

  it('validates what would be sent: undefined members are left out, as in JSON', () => {
    expect(validateSettings(schema, { title: 'x', limit: undefined })).toEqual({})
    expect(validateSettings(schema, { title: undefined })).toEqual({ title: ['is required'] })
  })

  it('leaves the schema it is given as it was (the library annotates the schema it holds)', () => {
    const frozen = Object.freeze(structuredClone(schema))
    expect(validateSettings(frozen, { title: 'x', day_name: 'wed' })).toHaveProperty('day_name')
    expect(JSON.stringify(frozen)).toBe(JSON.stringify(schema))
  })

  it('uses no eval: it compiles and runs with Function and eval removed', () => {
    const saved = { Function: globalThis.Function, eval: globalThis.eval }
    const refuse = () => {
      throw new Error('eval')
    }
    try {
      Object.assign(globalThis, { Function: refuse, eval: refuse })
      // A schema object not seen before, so the validator is built under the ban too.
      expect(validateSettings(structuredClone(schema), { title: 'x', limit: 0 })).toEqual({ limit: ['must be >= 1'] })
    } finally {
      Object.assign(globalThis, saved)
    }
  })
})
