import { describe, expect, it } from 'vitest'
import { describeChange, widgetLabel, widgetTitle } from '../widgetLabel'
import type { WidgetTypeInfo } from '../state/types'
import { widget } from '../state/__tests__/fixtures'

describe('describeChange (the conflict dialog rows)', () => {
  it('names what changed, with short new setting values', () => {
    const base = widget('a', 0, 0, 4, 2, { title: 'Old', markdown: 'x' })
    expect(describeChange(base, { ...base, settings: { title: 'My title', markdown: 'x' } })).toBe('title “My title”')
    expect(describeChange(base, { ...base, x: 4, w: 6 })).toBe('moved, resized')
    expect(describeChange(base, { ...base, settings: { title: 'Old', markdown: 'line\nline' } })).toBe('text changed')
    expect(describeChange(base, undefined)).toBe('removed')
    expect(describeChange(undefined, base)).toBe('added')
  })
})

describe('widgetTitle (the frame title)', () => {
  const catalogue = [
    { type: 'kpi', title: 'KPI' },
    { type: 'chart', title: 'Chart' },
    { type: 'note', title: 'Note' },
  ] as unknown as WidgetTypeInfo[]
  const typed = (type: string, settings: Record<string, unknown>) => ({ ...widget('a', 0, 0, 2, 2, settings), type })

  it('prefers the widget title setting', () => {
    expect(widgetLabel(typed('kpi', { title: '  Backlog today ', metric: 'overdue' }), catalogue)).toBe('Backlog today')
  })

  it('names a KPI by its metric and a chart by its kind, with their defaults', () => {
    expect(widgetLabel(typed('kpi', {}), catalogue)).toBe('Open tickets')
    expect(widgetLabel(typed('kpi', { metric: 'unassigned' }), catalogue)).toBe('Unassigned tickets')
    expect(widgetLabel(typed('kpi', { metric: 'resolution-median', title: ' ' }), catalogue)).toBe('Median resolution time')
    expect(widgetLabel(typed('kpi', { metric: 'bogus' }), catalogue)).toBe('Open tickets')
    expect(widgetLabel(typed('chart', {}), catalogue)).toBe('Tickets by status')
    expect(widgetLabel(typed('chart', { kind: 'by-priority' }), catalogue)).toBe('Tickets by priority')
  })

  it('falls back to the type title, then the type', () => {
    expect(widgetTitle(typed('note', {}), catalogue[2])).toBe('Note')
    expect(widgetTitle(typed('weather', {}), undefined)).toBe('weather')
  })
})
