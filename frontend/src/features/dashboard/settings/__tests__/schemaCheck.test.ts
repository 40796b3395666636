import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { checkSchema } from '../schemaCheck'

// Ajv (which needs 'unsafe-eval', so the app no longer ships it) is the reference here: the
// interpreter must accept and refuse the same documents, with the same error paths and keywords.
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
    limit: { type: ['integer', 'null'], minimum: 1, maximum: 10 },
    ratio: { type: 'number', exclusiveMinimum: 0 },
    days: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, maxItems: 3, uniqueItems: true },
    unit: { oneOf: [{ const: 'c' }, { const: 'f' }] },
    day_name: { $ref: '#/$defs/Day' },
    filter: { anyOf: [{ $ref: '#/$defs/Filter' }, { type: 'null' }] },
    flag: { type: 'boolean' },
  },
  $defs: {
    Day: { enum: ['mon', 'tue'] },
    Filter: {
      type: 'object',
      additionalProperties: false,
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
  { title: 'x', limit: null },
  { title: 'x', limit: 0 },
  { title: 'x', limit: 2.5 },
  { title: 'x', limit: 11 },
  { title: 'x', ratio: 0 },
  { title: 'x', days: [] },
  { title: 'x', days: [1, 2, 2] },
  { title: 'x', days: [1, 'x', 0, 4] },
  { title: 'x', unit: 'c' },
  { title: 'x', unit: 'k' },
  { title: 'x', day_name: 'wed' },
  { title: 'x', filter: null },
  { title: 'x', filter: { status: ['open'], created: { from: '2026-01-01' } } },
  { title: 'x', filter: { status: ['shut'], created: { from: 'soon' } } },
  { title: 'x', filter: { nope: true } },
  { title: 'x', flag: 'yes' },
  'not an object',
  null,
]

function summary(errors: { instancePath: string; keyword: string }[]): string[] {
  return [...new Set(errors.map((e) => `${e.instancePath} ${e.keyword}`))].sort()
}

describe('checkSchema', () => {
  const validate = ajv.compile(schema)
  it.each(documents.map((d) => [JSON.stringify(d), d]))('agrees with Ajv on %s', (_, document) => {
    const valid = validate(document)
    const errors = checkSchema(schema, document)
    expect(errors.length === 0).toBe(valid)
    expect(summary(errors)).toEqual(summary(validate.errors ?? []))
  })

  it('uses no eval: it runs with Function and eval removed', () => {
    const saved = globalThis.Function
    try {
      ;(globalThis as { Function: unknown }).Function = () => {
        throw new Error('eval')
      }
      expect(checkSchema(schema, { title: 'x', limit: 0 })[0]).toMatchObject({ instancePath: '/limit', keyword: 'minimum', message: 'must be >= 1' })
    } finally {
      globalThis.Function = saved
    }
  })
})
