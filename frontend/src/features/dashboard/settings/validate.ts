/** Validate settings against the widget type's JSON Schema (Draft 2020-12, as the server does). */
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { LABELS_KEYWORD, SOURCE_KEYWORD } from './schemaForm'

const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)
// An annotation for the editor (where a setting's choices come from), not a rule: declared so a
// strict Ajv accepts it too.
ajv.addKeyword({ keyword: SOURCE_KEYWORD, schemaType: 'string' })
// The same for an enum's labels ({value: label}, the editor shows the label).
ajv.addKeyword({ keyword: LABELS_KEYWORD, schemaType: 'object', metaSchema: { type: 'object', additionalProperties: { type: 'string' } } })
const compiled = new WeakMap<object, ValidateFunction>()

/** Messages per top-level setting ('' for the object as a whole); empty when valid. */
export type SettingsErrors = Record<string, string[]>

function fieldOf(error: ErrorObject): string {
  const name = error.instancePath.split('/')[1]
  if (name) return name
  if (error.keyword === 'required') return String(error.params.missingProperty)
  if (error.keyword === 'additionalProperties') return String(error.params.additionalProperty)
  return ''
}

function messageOf(error: ErrorObject): string {
  const inner = error.instancePath.split('/').slice(2).join(' ')
  const where = inner ? `${inner}: ` : ''
  if (error.keyword === 'pattern') return `${where}has the wrong format`
  if (error.keyword === 'required') return 'is required'
  if (error.keyword === 'additionalProperties') return 'is not a setting of this widget'
  if (error.keyword === 'const') return `${where}is not one of the choices`
  return `${where}${error.message ?? 'is invalid'}`
}

export function validateSettings(schema: object, settings: unknown): SettingsErrors {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  if (validate(settings)) return {}
  const errors: SettingsErrors = {}
  for (const error of validate.errors ?? []) {
    // anyOf reports every branch; the branch errors underneath say what is wrong.
    if (error.keyword === 'anyOf') continue
    // oneOf of choices (`const`s): the branch errors say "not one of the choices" once.
    if (error.keyword === 'oneOf' && error.params.passingSchemas == null) continue
    const field = fieldOf(error)
    const message = messageOf(error)
    const list = (errors[field] ??= [])
    if (!list.includes(message)) list.push(message)
  }
  if (Object.keys(errors).length === 0) errors[''] = ['These settings are not valid']
  return errors
}
