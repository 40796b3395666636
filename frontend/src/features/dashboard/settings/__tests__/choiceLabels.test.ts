import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import Ajv2020 from 'ajv/dist/2020'
import { choicesOf, fieldsFromSchema, LABELS_KEYWORD, optionLabel, type SettingsField } from '../schemaForm'
import { defaultSettings } from '../defaults'
import { validateSettings } from '../validate'
import SettingsFieldControl from '../SettingsField.vue'

// The ticket list's sort and columns as the catalogue gives them (deskboard/widgets/builtin.py), trimmed.
const ticketList = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    columns: {
      type: 'array',
      items: {
        enum: ['number', 'title', 'due_at'],
        [LABELS_KEYWORD]: { number: 'Number', title: 'Title', due_at: 'Due date' },
      },
      uniqueItems: true,
      minItems: 1,
    },
    sort: {
      enum: ['-updated_at', '-priority', 'due_at'],
      [LABELS_KEYWORD]: { '-updated_at': 'Last updated, newest first', '-priority': 'Priority, highest first', due_at: 'Due date, soonest first' },
    },
    plain: { enum: ['a', 'b'] },
  },
}

// A plugin may use standard JSON Schema instead: oneOf of const + title.
const plugin = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['unit'],
  properties: {
    unit: { oneOf: [{ const: 'c', title: 'Celsius' }, { const: 'f', title: 'Fahrenheit' }, { const: 'k' }] },
    days: { type: 'array', items: { $ref: '#/$defs/Day' }, uniqueItems: true },
  },
  $defs: { Day: { anyOf: [{ const: 'mon', title: 'Monday' }, { const: 'tue', title: 'Tuesday' }] } },
}

function field(schema: object, name: string): SettingsField {
  const found = fieldsFromSchema(schema as Record<string, unknown>).find((f) => f.name === name)
  if (!found) throw new Error(`no field ${name}`)
  return found
}

function mountField(settingsField: SettingsField, modelValue: unknown) {
  return mount(SettingsFieldControl, {
    props: { field: settingsField, modelValue, errors: [], idPrefix: 'settings-w1', statuses: [], priorities: [] },
    attachTo: document.body,
  })
}

enableAutoUnmount(afterEach)
afterEach(() => {
  document.body.innerHTML = ''
})

describe('labelled choices', () => {
  it('reads x-deskboard-labels beside an enum, for a select and for checkboxes', () => {
    expect(field(ticketList, 'sort')).toMatchObject({
      kind: 'select',
      options: ['-updated_at', '-priority', 'due_at'],
      optionLabels: { '-priority': 'Priority, highest first', due_at: 'Due date, soonest first' },
    })
    expect(field(ticketList, 'columns')).toMatchObject({
      kind: 'checkboxes',
      options: ['number', 'title', 'due_at'],
      optionLabels: { due_at: 'Due date' },
    })
    const plain = field(ticketList, 'plain')
    expect(plain.optionLabels).toBeUndefined()
    expect(optionLabel(plain, 'a')).toBe('a')
  })

  it('reads oneOf / anyOf of const + title, through $refs, and keeps untitled values as they are', () => {
    const unit = field(plugin, 'unit')
    expect(unit).toMatchObject({ kind: 'select', options: ['c', 'f', 'k'], optionLabels: { c: 'Celsius', f: 'Fahrenheit' } })
    expect(optionLabel(unit, 'k')).toBe('k')
    expect(field(plugin, 'days')).toMatchObject({ kind: 'checkboxes', options: ['mon', 'tue'], optionLabels: { tue: 'Tuesday' } })
    expect(choicesOf({}, { oneOf: [{ const: 1 }, { type: 'string' }] })).toBeNull()
    expect(choicesOf({}, { enum: ['x'], [LABELS_KEYWORD]: { x: 7, y: 'Y' } })).toEqual({ values: ['x'], labels: {} })
    expect(defaultSettings(plugin)).toEqual({ unit: 'c' })
  })

  it('shows the labels in the select and stores the value', async () => {
    const wrapper = mountField(field(ticketList, 'sort'), '-priority')
    const select = wrapper.get('select')
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      'Default',
      'Last updated, newest first',
      'Priority, highest first',
      'Due date, soonest first',
    ])
    expect(select.get('option:checked').text()).toBe('Priority, highest first')
    await select.setValue('due_at')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['due_at'])
  })

  it('shows the labels beside the checkboxes and stores the values in the schema order', async () => {
    const wrapper = mountField(field(ticketList, 'columns'), ['title'])
    expect(wrapper.findAll('label.chip').map((l) => l.text())).toEqual(['Number', 'Title', 'Due date'])
    await wrapper.findAll('input[type="checkbox"]')[2]!.setValue(true)
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([['title', 'due_at']])
  })

  it('validates by the values (labels are an annotation), also with a strict Ajv once declared', () => {
    expect(validateSettings(ticketList, { sort: '-priority', columns: ['due_at'] })).toEqual({})
    expect(validateSettings(ticketList, { sort: 'Priority, highest first' })).toHaveProperty('sort')
    expect(validateSettings(plugin, { unit: 'f', days: ['mon'] })).toEqual({})
    expect(validateSettings(plugin, { unit: 'x' })).toEqual({ unit: ['is not one of the choices'] })
    const strict = new Ajv2020({ strict: true })
    expect(() => strict.compile(ticketList)).toThrow(/unknown keyword/)
    strict.addKeyword({ keyword: LABELS_KEYWORD, schemaType: 'object' })
    expect(strict.validate(ticketList, { sort: 'due_at' })).toBe(true)
  })
})
