/** Starting settings for a new widget: a value for every required property, from its schema. */
type Schema = Record<string, unknown>

function firstOf(schema: Schema): unknown {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  const first = Array.isArray(schema.oneOf) ? (schema.oneOf[0] as Schema | undefined) : undefined
  if (first && 'const' in first) return first.const
  if ('default' in schema && schema.default !== null) return schema.default
  switch (schema.type) {
    case 'string':
      return ''
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0
    case 'boolean':
      return false
    case 'array':
      return []
    case 'object':
      return {}
    default:
      return undefined
  }
}

export function defaultSettings(schema: Schema | undefined): Record<string, unknown> {
  const settings: Record<string, unknown> = {}
  if (!schema) return settings
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
  for (const name of required) {
    const value = properties[name] ? firstOf(properties[name]) : undefined
    if (value !== undefined) settings[name] = value
  }
  return settings
}
