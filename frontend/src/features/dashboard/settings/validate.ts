/** Validate settings against the widget type's JSON Schema (Draft 2020-12, as the server does). */
import { checkSchema, type SchemaError } from './schemaCheck'

// Ajv compiled schemas to functions (new Function), which the CSP forbids ('unsafe-eval'): the
// checker interprets them instead, with Ajv's error shape. The annotations of the editor
// (x-deskboard-source, x-deskboard-labels) are unknown keywords to it, so they are ignored.
type ErrorObject = SchemaError

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
  const found = checkSchema(schema, settings)
  if (found.length === 0) return {}
  const errors: SettingsErrors = {}
  for (const error of found) {
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
