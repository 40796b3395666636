/**
 * Turn a widget type's settings JSON Schema into the list of fields the editor shows. Pure, so
 * the mapping (enum → select, array of enum → checkboxes, #rrggbb → colour, the shared ticket
 * filter → the filter form, markdown → textarea, a named source of choices → a select of
 * what that source lists, e.g. the saved views) is unit-tested.
 *
 * Choices show by their labels when the schema gives them: `x-deskboard-labels` ({value: label})
 * beside an `enum`, or the standard `oneOf` of `{const: value, title: label}`; else as the value.
 */
type Schema = Record<string, unknown>

/** The schema keyword naming where a setting's choices come from (sources.ts). */
export const SOURCE_KEYWORD = 'x-deskboard-source'
/** The schema keyword giving an enum's labels, `{value: label}` (an annotation, like the source). */
export const LABELS_KEYWORD = 'x-deskboard-labels'
/** The sources this editor can list (sources.ts); a setting naming another one keeps its plain control. */
export const KNOWN_SOURCES: ReadonlySet<string> = new Set(['views'])

export type FieldKind =
  | 'text'
  | 'markdown'
  | 'color'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'select'
  | 'checkboxes'
  | 'list'
  | 'filters'
  | 'source'

export interface SettingsField {
  name: string
  label: string
  kind: FieldKind
  description?: string
  required: boolean
  /** Accepts null (the schema allows it); an empty input then means "not set". */
  nullable: boolean
  options?: string[]
  /** kind 'select' / 'checkboxes': the text shown for an option, when the schema gives one. */
  optionLabels?: Record<string, string>
  min?: number
  max?: number
  maxLength?: number
  /** kind 'source': where the choices come from (`x-deskboard-source`, see sources.ts). */
  source?: string
  /** kind 'source': whether the stored value is a number (the schema's type). */
  numeric?: boolean
  /** kind 'list' (an array of plain values, typed as text separated by commas): the items' type. */
  itemType?: 'integer' | 'number' | 'string'
}

const LABELS: Record<string, string> = {
  title: 'Title',
  color: 'Accent colour',
  filters: 'Tickets shown',
  follow_filter_panel: 'Follow the dashboard filter panel',
  page_size: 'Rows per page',
  range_days: 'Period (days)',
  markdown: 'Text (markdown)',
  view_id: 'Saved view',
  buckets_days: 'Age bands (days)',
}

export function labelFor(name: string): string {
  return LABELS[name] ?? name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ')
}

/** Follow a local `#/$defs/...` reference. */
export function resolveRef(root: Schema, schema: Schema): Schema {
  const ref = schema.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema
  let node: unknown = root
  for (const part of ref.slice(2).split('/')) node = (node as Schema | undefined)?.[part]
  return node && typeof node === 'object' ? resolveRef(root, node as Schema) : schema
}

/** `anyOf: [X, {type: null}]` and `type: [X, "null"]` both mean "X or nothing". */
function unwrapNullable(root: Schema, schema: Schema): { schema: Schema; nullable: boolean } {
  const resolved = resolveRef(root, schema)
  if (Array.isArray(resolved.anyOf)) {
    const options = (resolved.anyOf as Schema[]).map((s) => resolveRef(root, s))
    const real = options.filter((s) => s.type !== 'null')
    if (real.length === 1 && real.length < options.length) return { schema: real[0]!, nullable: true }
  }
  if (Array.isArray(resolved.type)) {
    const types = (resolved.type as string[]).filter((t) => t !== 'null')
    if (types.length === 1) return { schema: { ...resolved, type: types[0] }, nullable: types.length < resolved.type.length }
  }
  return { schema: resolved, nullable: false }
}

/** An enum's values and labels: `enum` (+ `x-deskboard-labels`) or `oneOf`/`anyOf` of `const`s. */
export function choicesOf(root: Schema, schema: Schema): { values: string[]; labels: Record<string, string> } | null {
  const labels: Record<string, string> = {}
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.map(String)
    const given = schema[LABELS_KEYWORD]
    if (given && typeof given === 'object' && !Array.isArray(given)) {
      for (const [value, label] of Object.entries(given as Record<string, unknown>)) {
        if (typeof label === 'string' && label && values.includes(value)) labels[value] = label
      }
    }
    return { values, labels }
  }
  const branches = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null
  if (!branches?.length) return null
  const options = (branches as Schema[]).map((branch) => resolveRef(root, branch))
  if (!options.every((option) => 'const' in option && option.const !== null)) return null
  const values = options.map((option) => String(option.const))
  options.forEach((option, index) => {
    if (typeof option.title === 'string' && option.title) labels[values[index]!] = option.title
  })
  return { values, labels }
}

function listItemType(item: Schema): SettingsField['itemType'] | undefined {
  return item.type === 'integer' || item.type === 'number' || item.type === 'string' ? item.type : undefined
}

/** A list setting as the text the editor shows: its items separated by commas. */
export function listText(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(', ') : ''
}

/**
 * The text of a list field as its value (undefined when empty). Numbers are parsed; an item that
 * is not one stays text, so validation names it rather than it vanishing.
 */
export function parseList(text: string, itemType: SettingsField['itemType']): unknown[] | undefined {
  const parts = text
    .split(itemType === 'string' ? /,/ : /[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean)
  if (parts.length === 0) return undefined
  if (itemType === 'string') return parts
  return parts.map((part) => (/^[-+]?\d+(\.\d+)?$/.test(part) ? Number(part) : part))
}

/** The text an option of a select or checkboxes field shows. */
export function optionLabel(field: SettingsField, option: string): string {
  return field.optionLabels?.[option] ?? option
}

function isFilterSchema(schema: Schema, original: Schema): boolean {
  return (
    (typeof original.$ref === 'string' && original.$ref.endsWith('/TicketFilter')) ||
    (schema.type === 'object' && schema.title === 'TicketFilter')
  )
}

function kindOf(root: Schema, name: string, schema: Schema, original: Schema): FieldKind | null {
  if (isFilterSchema(schema, original)) return 'filters'
  if (typeof schema[SOURCE_KEYWORD] === 'string' && KNOWN_SOURCES.has(schema[SOURCE_KEYWORD])) return 'source'
  if (choicesOf(root, schema)) return 'select'
  if (schema.type === 'array') {
    const items = schema.items as Schema | undefined
    if (!items) return null
    const item = resolveRef(root, items)
    if (choicesOf(root, item)) return 'checkboxes'
    return listItemType(item) ? 'list' : null
  }
  if (schema.type === 'boolean') return 'boolean'
  if (schema.type === 'integer') return 'integer'
  if (schema.type === 'number') return 'number'
  if (schema.type === 'string') {
    if (name === 'color' || (typeof schema.pattern === 'string' && schema.pattern.includes('[0-9a-fA-F]{6}'))) return 'color'
    if (name === 'markdown' || (typeof schema.maxLength === 'number' && schema.maxLength > 500)) return 'markdown'
    return 'text'
  }
  return null
}

/** The fields of a settings schema, in its property order; properties it cannot edit are left out. */
export function fieldsFromSchema(root: Schema | undefined): SettingsField[] {
  if (!root) return []
  const properties = (root.properties ?? {}) as Record<string, Schema>
  const required = new Set(Array.isArray(root.required) ? (root.required as string[]) : [])
  const fields: SettingsField[] = []
  for (const [name, original] of Object.entries(properties)) {
    const { schema, nullable } = unwrapNullable(root, original)
    const kind = kindOf(root, name, schema, original)
    if (!kind) continue
    const field: SettingsField = { name, label: labelFor(name), kind, required: required.has(name), nullable }
    if (typeof schema.description === 'string') field.description = schema.description
    const choices =
      kind === 'select' ? choicesOf(root, schema) : kind === 'checkboxes' ? choicesOf(root, resolveRef(root, schema.items as Schema)) : null
    if (choices) {
      field.options = choices.values
      if (Object.keys(choices.labels).length) field.optionLabels = choices.labels
    }
    if (kind === 'source') {
      field.source = schema[SOURCE_KEYWORD] as string
      field.numeric = schema.type === 'integer' || schema.type === 'number'
    }
    if (kind === 'list') field.itemType = listItemType(resolveRef(root, schema.items as Schema))
    if (typeof schema.minimum === 'number') field.min = schema.minimum
    if (typeof schema.maximum === 'number') field.max = schema.maximum
    if (typeof schema.maxLength === 'number') field.maxLength = schema.maxLength
    fields.push(field)
  }
  return fields
}

/** Enum values of a `$defs` entry (the filter form's status and priority choices). */
export function definitionEnum(root: Schema | undefined, name: string): string[] {
  const defs = (root?.$defs ?? {}) as Record<string, Schema>
  const values = defs[name]?.enum
  return Array.isArray(values) ? values.map(String) : []
}
