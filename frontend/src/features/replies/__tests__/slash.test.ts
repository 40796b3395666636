import { describe, expect, it } from 'vitest'
import { filterReplies, replaceRange, slashTrigger } from '../slash'
import type { SavedReply } from '../api'

describe('slashTrigger', () => {
  it('opens on a "/" that starts the editor or a line, with what follows as the query', () => {
    expect(slashTrigger('/', 1)).toEqual({ start: 0, end: 1, query: '' })
    expect(slashTrigger('/tha', 4)).toEqual({ start: 0, end: 4, query: 'tha' })
    expect(slashTrigger('Hello\n/print', 12)).toEqual({ start: 6, end: 12, query: 'print' })
    expect(slashTrigger('Hello\n/print er', 15)?.query).toBe('print er')
  })

  it('stays closed for a "/" inside a line, before the cursor reaches it, or a long query', () => {
    expect(slashTrigger('', 0)).toBeNull()
    expect(slashTrigger('and/or', 6)).toBeNull()
    expect(slashTrigger(' /x', 3)).toBeNull()
    expect(slashTrigger('/x', 0)).toBeNull()
    expect(slashTrigger('/x\nmore', 7)).toBeNull()
    expect(slashTrigger(`/${'a'.repeat(61)}`, 62)).toBeNull()
  })
})

describe('replaceRange', () => {
  it('replaces the trigger with the text and puts the cursor after it', () => {
    expect(replaceRange('Hi\n/tha\nbye', 3, 7, 'Thanks!')).toEqual({ text: 'Hi\nThanks!\nbye', cursor: 10 })
  })
})

describe('filterReplies', () => {
  const reply = (id: number, title: string) => ({ id, title }) as SavedReply
  const all = [reply(1, 'Printer reset'), reply(2, 'Thanks'), reply(3, 'printer toner')]

  it('keeps the server order and matches titles in any case', () => {
    expect(filterReplies(all, 'PRINTER').map((r) => r.id)).toEqual([1, 3])
    expect(filterReplies(all, '  ').map((r) => r.id)).toEqual([1, 2, 3])
    expect(filterReplies(all, 'zzz')).toEqual([])
  })
})
