import { describe, expect, it } from 'vitest'
import { checkRequest, eventAllowed, PLUGIN_API, rangeRefusal, satisfiesRange, type PluginScope } from '../index'

const heatmap: PluginScope = { plugin: 'heatmap', coreReads: ['/api/tickets', '/api/analytics/'], events: ['plugin.heatmap.', 'ticket.'] }
const oncall: PluginScope = { plugin: 'oncall', coreReads: [], events: ['plugin.oncall.'] }

describe('plugin API version', () => {
  it('is 1', () => expect(PLUGIN_API).toBe(1))

  it.each([
    ['>=1,<2', true],
    ['>=1', true],
    ['==1', true],
    ['1', true],
    ['~=1.0', true],
    ['>=2,<3', false],
    ['<1', false],
    ['>=0,<1', false],
    ['!=1', false],
  ])('range %s admits 1: %s', (range, expected) => expect(satisfiesRange(range, 1)).toBe(expected))

  it('refuses an unreadable range instead of guessing', () => {
    expect(() => satisfiesRange('latest', 1)).toThrow(/unreadable/)
    expect(rangeRefusal('>=2,<3', 1)).toMatch(/needs plugin API >=2,<3; this Deskboard provides plugin API 1/)
    expect(rangeRefusal(undefined, 1)).toBeNull()
  })
})

describe('request allow-list', () => {
  it('resolves relative paths to the plugin’s own routes, any method', () => {
    expect(checkRequest(oncall, 'GET', 'now')).toEqual({ ok: true, url: '/api/plugins/oncall/now' })
    expect(checkRequest(oncall, 'DELETE', 'shifts/4')).toEqual({ ok: true, url: '/api/plugins/oncall/shifts/4' })
    expect(checkRequest(oncall, 'POST', '/api/plugins/oncall/shifts')).toMatchObject({ ok: true })
  })

  it('allows the granted core reads, GET only, on segment boundaries', () => {
    expect(checkRequest(heatmap, 'GET', '/api/tickets')).toMatchObject({ ok: true })
    expect(checkRequest(heatmap, 'GET', '/api/tickets/12')).toMatchObject({ ok: true })
    expect(checkRequest(heatmap, 'GET', '/api/analytics/summary')).toMatchObject({ ok: true })
    expect(checkRequest(heatmap, 'GET', '/api/auth/me')).toMatchObject({ ok: true })
    expect(checkRequest(heatmap, 'POST', '/api/tickets')).toMatchObject({ ok: false })
    expect(checkRequest(heatmap, 'PATCH', '/api/tickets/12')).toMatchObject({ ok: false })
    expect(checkRequest(heatmap, 'GET', '/api/ticketsx')).toMatchObject({ ok: false })
    expect(checkRequest(oncall, 'GET', '/api/tickets')).toMatchObject({ ok: false })
  })

  it.each([
    ['another plugin', 'GET', '/api/plugins/heatmap/cells'],
    ['a prefix trick', 'GET', '/api/plugins/oncallx/now'],
    ['traversal', 'GET', '../heatmap/cells'],
    ['encoded traversal', 'GET', '%2e%2e/heatmap/cells'],
    ['a dot segment', 'GET', './now'],
    ['an empty segment', 'GET', '/api/plugins/oncall//now'],
    ['a query in the path', 'GET', 'now?x=1'],
    ['a fragment', 'GET', 'now#x'],
    ['a backslash', 'GET', 'now\\..\\..'],
    ['another origin', 'GET', '//evil.example/api'],
    ['a full URL', 'GET', 'https://evil.example/api/plugins/oncall/now'],
    ['admin writes', 'PATCH', '/api/plugins'],
    ['the token refresh', 'POST', '/api/auth/refresh'],
    ['an odd method', 'TRACE', 'now'],
    ['an empty path', 'GET', ''],
  ])('refuses %s', (_, method, path) => {
    const check = checkRequest(oncall, method, path)
    expect(check.ok).toBe(false)
  })

  it('filters events by the plugin’s grants', () => {
    expect(eventAllowed(oncall, 'plugin.oncall.changed')).toBe(true)
    expect(eventAllowed(oncall, 'plugin.heatmap.changed')).toBe(false)
    expect(eventAllowed(oncall, 'ticket.created')).toBe(false)
    expect(eventAllowed(heatmap, 'ticket.updated')).toBe(true)
    expect(eventAllowed(heatmap, 'layout.updated')).toBe(false)
    expect(eventAllowed(oncall, 'resync')).toBe(true)
  })
})
