import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount, mount } from '@vue/test-utils'
import { fieldsFromSchema, listText, parseList, type SettingsField } from '../schemaForm'
import { validateSettings } from '../validate'
import SettingsFieldControl from '../SettingsField.vue'

// The ageing widget's settings as the catalogue gives them (deskboard/widgets/builtin.py), trimmed.
const ageing = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    buckets_days: {
      type: 'array',
      description: 'Where each age band starts, in days',
      items: { type: 'integer', minimum: 1, maximum: 365 },
      minItems: 1,
      maxItems: 8,
      uniqueItems: true,
    },
    default_tags: { type: 'array', items: { type: 'string', minLength: 1 } },
    nested: { type: 'array', items: { type: 'object' } },
  },
}

function field(name: string): SettingsField | undefined {
  return fieldsFromSchema(ageing).find((f) => f.name === name)
}

enableAutoUnmount(afterEach)
afterEach(() => {
  document.body.innerHTML = ''
})

describe('a list setting', () => {
  it('is an array of plain values, typed as text separated by commas', () => {
    expect(field('buckets_days')).toMatchObject({ kind: 'list', itemType: 'integer', label: 'Age bands (days)', description: 'Where each age band starts, in days' })
    expect(field('default_tags')).toMatchObject({ kind: 'list', itemType: 'string' })
    expect(field('nested')).toBeUndefined()
    expect(listText([1, 3, 7, 30])).toBe('1, 3, 7, 30')
    expect(parseList(' 30, 7 1;3, ', 'integer')).toEqual([30, 7, 1, 3])
    expect(parseList('1, x, 2.5', 'integer')).toEqual([1, 'x', 2.5])
    expect(parseList(' , ', 'integer')).toBeUndefined()
    expect(parseList('vip, new customer', 'string')).toEqual(['vip', 'new customer'])
  })

  it('edits the ageing bands: stores numbers, keeps the typed text, and validation names a bad item', async () => {
    const wrapper = mount(SettingsFieldControl, {
      props: { field: field('buckets_days')!, modelValue: [1, 3, 7, 30], errors: [], idPrefix: 'settings-w1', statuses: [], priorities: [] },
      attachTo: document.body,
    })
    const input = wrapper.get('input')
    expect(input.element.value).toBe('1, 3, 7, 30')
    expect(wrapper.get('label').text()).toBe('Age bands (days)')
    await input.setValue('2, 14,')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([[2, 14]])
    await wrapper.setProps({ modelValue: [2, 14] })
    expect(input.element.value).toBe('2, 14,') // what was typed stays while it means the same
    await wrapper.setProps({ modelValue: [5] })
    expect(input.element.value).toBe('5') // a change from elsewhere shows
    await input.setValue('')
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([undefined])

    expect(validateSettings(ageing, { buckets_days: [30, 2] })).toEqual({})
    expect(validateSettings(ageing, { buckets_days: [2, 'x'] })).toHaveProperty('buckets_days')
    expect(validateSettings(ageing, { buckets_days: [2, 2] })).toHaveProperty('buckets_days')
    expect(validateSettings(ageing, { buckets_days: [0] })).toHaveProperty('buckets_days')
  })
})
