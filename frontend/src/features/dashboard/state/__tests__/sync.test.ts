import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LayoutSync, type SyncOptions } from '../sync'
import type { LayoutDocument } from '../types'
import { byId, doc, ids, widget } from './fixtures'
import { FakeServer, MemoryStorage } from './fakeServer'

const KEY = 'deskboard.layout.v1.1'

function setup(server: FakeServer, storage = new MemoryStorage(), extra: Partial<SyncOptions> = {}) {
  const sync = new LayoutSync({ transport: server, storage, storageKey: KEY, random: () => 0.5, ...extra })
  return { sync, storage }
}

function current(sync: LayoutSync): LayoutDocument {
  const document = sync.snapshot().document
  if (!document) throw new Error('not loaded')
  return document
}

function addNote(sync: LayoutSync, id: string, x = 0, y = 6): void {
  const d = current(sync)
  sync.edit({ ...d, widgets: [...d.widgets, widget(id, x, y)] })
}

/** Let the debounce fire and every pending request settle. */
async function settle(ms = 1000): Promise<void> {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(ms)
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('loading', () => {
  it('starts from the role template when nothing is saved, and saves it with POST on the first change', async () => {
    const server = new FakeServer()
    server.template = doc(0, [widget('t1', 0, 0)])
    const { sync } = setup(server)
    await sync.load()
    expect(ids(current(sync))).toEqual(['t1'])
    expect(sync.snapshot().status).toBe('saved')
    expect(server.requests).toEqual(['GET', 'GET template'])

    addNote(sync, 'n1')
    expect(sync.snapshot().status).toBe('saving')
    await settle()
    expect(server.requests).toContain('POST')
    expect(server.stored?.version).toBe(1)
    expect(ids(server.stored!)).toEqual(['t1', 'n1'])
    expect(sync.snapshot().status).toBe('saved')

    addNote(sync, 'n2', 4, 6)
    await settle()
    expect(server.requests.at(-1)).toBe('PUT v1')
    expect(server.stored?.version).toBe(2)
  })

  it('shows the saved layout and ignores a clean cached copy', async () => {
    const server = new FakeServer()
    server.saveElsewhere([widget('s', 0, 0)])
    const storage = new MemoryStorage()
    storage.setItem(KEY, JSON.stringify({ format: 1, local: doc(0, [widget('old', 0, 0)]), base: null, dirty: false, onServer: true }))
    const { sync } = setup(server, storage)
    await sync.load()
    expect(ids(current(sync))).toEqual(['s'])
  })

  it('keeps unsent edits across a reload and sends them', async () => {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0)])
    const storage = new MemoryStorage()
    const first = setup(server, storage).sync
    await first.load()
    server.offline = true
    addNote(first, 'unsent')
    await settle()
    expect(first.snapshot().status).toBe('offline')
    first.dispose() // the tab is closed / reloaded

    server.offline = false
    const second = setup(server, storage).sync
    await second.load()
    expect(ids(current(second))).toEqual(['a', 'unsent'])
    await settle()
    expect(ids(server.stored!)).toEqual(['a', 'unsent'])
    expect(second.snapshot().status).toBe('saved')
  })

  it('merges unsent edits onto a newer server version found at reload', async () => {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0)])
    const storage = new MemoryStorage()
    const first = setup(server, storage).sync
    await first.load()
    server.offline = true
    addNote(first, 'mine', 0, 4)
    await settle()
    first.dispose()

    server.offline = false
    server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0, 4, 3)]) // another device resized b
    const second = setup(server, storage).sync
    await second.load()
    await settle()
    expect(ids(server.stored!)).toEqual(['a', 'b', 'mine'])
    expect(byId(server.stored!, 'b')?.h).toBe(3)
    expect(second.snapshot().conflict).toBeNull()
  })

  it('shows the cached layout when the server cannot be reached, then settles up online', async () => {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0)])
    const storage = new MemoryStorage()
    const first = setup(server, storage).sync
    await first.load()
    first.dispose()

    server.offline = true
    const { sync } = setup(server, storage)
    await sync.load()
    expect(ids(current(sync))).toEqual(['a'])
    expect(sync.snapshot().status).toBe('offline')
    addNote(sync, 'while-offline')
    server.offline = false
    sync.online()
    await settle()
    expect(ids(server.stored!)).toEqual(['a', 'while-offline'])
    expect(sync.snapshot().status).toBe('saved')
  })

  it('fails loudly when neither the server nor a cache has the layout', async () => {
    const server = new FakeServer()
    server.offline = true
    const { sync } = setup(server)
    await expect(sync.load()).rejects.toThrow()
  })

  it('a read-only person never sends anything, even with cached edits', async () => {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0)])
    const storage = new MemoryStorage()
    storage.setItem(KEY, JSON.stringify({ format: 1, local: doc(1, []), base: doc(1, []), dirty: true, onServer: true }))
    const { sync } = setup(server, storage, { canWrite: false })
    await sync.load()
    await settle()
    expect(ids(current(sync))).toEqual(['a'])
    expect(server.requests).toEqual(['GET'])
  })
})

describe('saving', () => {
  async function loaded(widgets = [widget('a', 0, 0)]) {
    const server = new FakeServer()
    server.saveElsewhere(widgets)
    const env = setup(server)
    await env.sync.load()
    return { server, ...env }
  }

  it('debounces a burst of edits into one request', async () => {
    const { server, sync } = await loaded()
    addNote(sync, 'n1', 0, 2)
    await vi.advanceTimersByTimeAsync(300)
    addNote(sync, 'n2', 4, 2)
    await vi.advanceTimersByTimeAsync(300)
    addNote(sync, 'n3', 8, 2)
    expect(server.requests).toEqual(['GET'])
    await settle()
    expect(server.requests).toEqual(['GET', 'PUT v1'])
    expect(ids(server.stored!)).toEqual(['a', 'n1', 'n2', 'n3'])
  })

  it('writes every edit to storage at once', async () => {
    const { sync, storage } = await loaded()
    addNote(sync, 'n1', 0, 2)
    const saved = JSON.parse(storage.getItem(KEY)!)
    expect(saved.dirty).toBe(true)
    expect(saved.local.widgets.map((w: { id: string }) => w.id)).toEqual(['a', 'n1'])
  })

  it('keeps one request in flight and sends edits made meanwhile afterwards, on the new version', async () => {
    const { server, sync } = await loaded()
    addNote(sync, 'n1', 0, 2)
    server.hold()
    await vi.advanceTimersByTimeAsync(700)
    expect(server.requests).toEqual(['GET', 'PUT v1'])
    addNote(sync, 'n2', 4, 2)
    await vi.advanceTimersByTimeAsync(2000)
    expect(server.requests).toEqual(['GET', 'PUT v1']) // still one in flight
    server.release()
    await settle()
    expect(server.requests).toEqual(['GET', 'PUT v1', 'PUT v2'])
    expect(server.stored?.version).toBe(3)
    expect(ids(server.stored!)).toEqual(['a', 'n1', 'n2'])
    expect(sync.snapshot().status).toBe('saved')
  })

  it('goes offline on a network failure and retries with backoff until it gets through', async () => {
    const { server, sync } = await loaded()
    server.offline = true
    addNote(sync, 'n1', 0, 2)
    await vi.advanceTimersByTimeAsync(700)
    expect(sync.snapshot().status).toBe('offline')
    const attempts = server.requests.length
    await vi.advanceTimersByTimeAsync(5000)
    expect(server.requests.length).toBeGreaterThan(attempts)
    server.offline = false
    await vi.advanceTimersByTimeAsync(40_000)
    expect(ids(server.stored!)).toEqual(['a', 'n1'])
    expect(sync.snapshot().status).toBe('saved')
  })

  it('retries at once when the browser says it is back online', async () => {
    const { server, sync } = await loaded()
    server.offline = true
    addNote(sync, 'n1', 0, 2)
    await vi.advanceTimersByTimeAsync(700)
    server.offline = false
    sync.online()
    await vi.advanceTimersByTimeAsync(10)
    expect(ids(server.stored!)).toEqual(['a', 'n1'])
  })

  it('reports a refused save as error and does not hammer the server', async () => {
    const { server, sync } = await loaded()
    server.failWith = 422
    addNote(sync, 'n1', 0, 2)
    await settle(5000)
    expect(sync.snapshot().status).toBe('error')
    expect(sync.snapshot().lastError).toContain('422')
    expect(server.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1)
  })

  it('retries a server error (5xx) with backoff', async () => {
    const { server, sync } = await loaded()
    server.failWith = 503
    addNote(sync, 'n1', 0, 2)
    await vi.advanceTimersByTimeAsync(700)
    expect(sync.snapshot().status).toBe('error')
    server.failWith = null
    await vi.advanceTimersByTimeAsync(40_000)
    expect(sync.snapshot().status).toBe('saved')
  })
})

describe('conflicts on save', () => {
  async function twoDevices() {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0)])
    const { sync } = setup(server)
    await sync.load()
    return { server, sync }
  }

  it('merges automatically when the edits touch different widgets', async () => {
    const { server, sync } = await twoDevices()
    server.saveElsewhere([widget('a', 0, 0, 4, 2, { title: 'theirs' }), widget('b', 4, 0)])
    const d = current(sync)
    sync.edit({ ...d, widgets: [d.widgets[0]!, { ...d.widgets[1]!, h: 5 }] })
    await settle()
    expect(server.requests).toEqual(['GET', 'PUT v1', 'PUT v2'])
    expect(byId(server.stored!, 'a')?.settings).toEqual({ title: 'theirs' })
    expect(byId(server.stored!, 'b')?.h).toBe(5)
    expect(sync.snapshot().conflict).toBeNull()
    expect(sync.snapshot().status).toBe('saved')
  })

  it('stops and asks when the same widget changed on both sides', async () => {
    const { server, sync } = await twoDevices()
    server.saveElsewhere([widget('a', 0, 0, 4, 2, { title: 'theirs' }), widget('b', 4, 0)])
    const d = current(sync)
    sync.edit({ ...d, widgets: [{ ...d.widgets[0]!, settings: { title: 'mine' } }, d.widgets[1]!] })
    await settle()
    const { conflict, status, document } = sync.snapshot()
    expect(conflict?.widgetIds).toEqual(['a'])
    expect(conflict?.theirs.version).toBe(2)
    expect(byId(conflict!.mine, 'a')?.settings).toEqual({ title: 'mine' })
    expect(byId(document!, 'a')?.settings).toEqual({ title: 'mine' }) // nothing hidden meanwhile
    expect(status).toBe('error')
    expect(server.requests).toEqual(['GET', 'PUT v1'])
  })

  for (const [choice, title, count] of [
    ['mine', 'mine', 2],
    ['theirs', 'theirs', 2],
    ['copy', 'theirs', 3],
  ] as const) {
    it(`resolves a conflict with "${choice}"`, async () => {
      const { server, sync } = await twoDevices()
      server.saveElsewhere([widget('a', 0, 0, 4, 2, { title: 'theirs' }), widget('b', 4, 0)])
      const d = current(sync)
      sync.edit({ ...d, widgets: [{ ...d.widgets[0]!, settings: { title: 'mine' } }, d.widgets[1]!] })
      await settle()
      sync.resolveConflict(choice)
      await settle()
      expect(sync.snapshot().conflict).toBeNull()
      expect(byId(server.stored!, 'a')?.settings).toEqual({ title })
      expect(server.stored!.widgets).toHaveLength(count)
      if (choice === 'copy') {
        const copy = server.stored!.widgets.find((w) => !['a', 'b'].includes(w.id))
        expect(copy?.settings).toEqual({ title: 'mine' })
      }
      expect(sync.snapshot().status).toBe('saved')
    })
  }

  it('a first save that finds a layout already created merges with it', async () => {
    const server = new FakeServer()
    server.template = doc(0, [widget('t', 0, 0)])
    const { sync } = setup(server)
    await sync.load()
    server.saveElsewhere([widget('t', 0, 0), widget('other', 4, 0)]) // another tab saved first
    addNote(sync, 'mine', 0, 2)
    await settle()
    expect(server.requests).toEqual(['GET', 'GET template', 'POST', 'PUT v1'])
    expect(ids(server.stored!).sort()).toEqual(['mine', 'other', 't'])
  })
})

describe('remote updates', () => {
  async function loaded(editing = false) {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0)])
    let isEditing = editing
    const { sync, storage } = setup(server, new MemoryStorage(), { isEditing: () => isEditing })
    await sync.load()
    return { server, sync, storage, setEditing: (v: boolean) => (isEditing = v) }
  }

  it('shows a newer version at once when nothing is unsaved', async () => {
    const { server, sync } = await loaded()
    const remote = server.saveElsewhere([widget('a', 0, 0)])
    sync.applyRemote(remote)
    expect(ids(current(sync))).toEqual(['a'])
  })

  it('ignores an older or equal version', async () => {
    const { server, sync } = await loaded()
    sync.applyRemote({ ...server.stored!, widgets: [] })
    expect(ids(current(sync))).toEqual(['a', 'b'])
  })

  it('keeps a remote version pending while the person edits, then merges on request', async () => {
    const { server, sync } = await loaded(true)
    server.hold()
    addNote(sync, 'mine', 0, 4)
    const remote = server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0, 4, 3)])
    sync.applyRemote(remote)
    expect(sync.snapshot().remotePending?.version).toBe(2)
    expect(ids(current(sync))).toEqual(['a', 'b', 'mine'])
    sync.mergeRemote()
    expect(sync.snapshot().remotePending).toBeNull()
    expect(byId(current(sync), 'b')?.h).toBe(3)
    expect(ids(current(sync))).toEqual(['a', 'b', 'mine'])
    server.release()
    await settle()
    expect(server.requests.filter((r) => r.startsWith('PUT'))).toEqual(['PUT v2'])
    expect(ids(server.stored!)).toEqual(['a', 'b', 'mine'])
  })

  it('in edit mode a remote version waits for a choice even when every edit is saved', async () => {
    const { server, sync } = await loaded(true)
    const remote = server.saveElsewhere([widget('a', 0, 0), widget('c', 8, 0)])
    sync.applyRemote(remote)
    expect(ids(current(sync))).toEqual(['a', 'b'])
    expect(sync.snapshot().remotePending?.version).toBe(2)
    sync.mergeRemote()
    expect(ids(current(sync))).toEqual(['a', 'c'])
    expect(sync.snapshot().status).toBe('saved')
  })

  it('in edit mode a version the person restored is shown at once, not held as a remote change', async () => {
    const { server, sync } = await loaded(true)
    const restored = server.saveElsewhere([widget('a', 0, 0)])
    sync.adoptOwn(restored)
    expect(ids(current(sync))).toEqual(['a'])
    expect(sync.snapshot().remotePending).toBeNull()
    expect(sync.snapshot().status).toBe('saved')
    sync.applyRemote(restored) // its realtime echo changes nothing
    expect(sync.snapshot().remotePending).toBeNull()
  })

  it('in edit mode a remote version with the same widgets is taken without asking', async () => {
    const { server, sync } = await loaded(true)
    const remote = server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0)])
    sync.applyRemote(remote)
    expect(sync.snapshot().remotePending).toBeNull()
    expect(current(sync).version).toBe(2)
  })

  it('a save that merged the waiting remote version on a 409 settles the question', async () => {
    const { server, sync } = await loaded(true)
    sync.applyRemote(server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0, 4, 3)]))
    expect(sync.snapshot().remotePending?.version).toBe(2)
    addNote(sync, 'mine', 0, 4) // saved on version 1: 409, merged at widget level
    await settle()
    expect(sync.snapshot().remotePending).toBeNull()
    expect(sync.snapshot().conflict).toBeNull()
    expect(ids(server.stored!)).toEqual(['a', 'b', 'mine'])
    expect(byId(server.stored!, 'b')?.h).toBe(3)
  })

  it('after missed events the server version is read and, in edit mode, waits for a choice', async () => {
    const { server, sync, setEditing } = await loaded(true)
    server.saveElsewhere([widget('a', 0, 0), widget('c', 8, 0)]) // its event never arrived
    await sync.refetch()
    expect(ids(current(sync))).toEqual(['a', 'b'])
    expect(sync.snapshot().remotePending?.version).toBe(2)
    setEditing(false)
    server.saveElsewhere([widget('a', 0, 0)])
    sync.discardLocal()
    await sync.refetch()
    expect(ids(current(sync))).toEqual(['a']) // not editing: shown at once
  })

  it('discarding local edits takes the remote version', async () => {
    const { server, sync } = await loaded(true)
    server.hold()
    addNote(sync, 'mine', 0, 4)
    sync.applyRemote(server.saveElsewhere([widget('z', 0, 0)]))
    sync.discardLocal()
    expect(ids(current(sync))).toEqual(['z'])
    expect(sync.snapshot().status).toBe('saved')
    server.release()
  })

  it('merges a remote version by itself when not editing, even with unsent edits', async () => {
    const { server, sync } = await loaded(false)
    server.offline = true
    addNote(sync, 'mine', 0, 4)
    await vi.advanceTimersByTimeAsync(700)
    sync.applyRemote({ ...doc(2, [widget('a', 0, 0), widget('b', 4, 0), widget('c', 8, 0)]) })
    expect(ids(current(sync))).toEqual(['a', 'b', 'c', 'mine'])
  })

  it('waits for the request in flight before applying a remote version', async () => {
    const { server, sync } = await loaded(false)
    addNote(sync, 'mine', 0, 4)
    server.hold()
    await vi.advanceTimersByTimeAsync(700)
    const remote = server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0), widget('c', 8, 0)])
    sync.applyRemote(remote)
    expect(ids(current(sync))).toEqual(['a', 'b', 'mine'])
    server.release()
    await settle()
    expect(ids(server.stored!).sort()).toEqual(['a', 'b', 'c', 'mine'])
    expect(ids(current(sync)).sort()).toEqual(['a', 'b', 'c', 'mine'])
  })
})

describe('remote updates during a conflict', () => {
  it('does not ask twice about the version the conflict already shows', async () => {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0)])
    const { sync } = setup(server, new MemoryStorage(), { isEditing: () => true })
    await sync.load()
    const theirs = server.saveElsewhere([widget('a', 0, 0, 4, 2, { title: 'theirs' })])
    const d = current(sync)
    sync.edit({ ...d, widgets: [{ ...d.widgets[0]!, settings: { title: 'mine' } }] })
    await settle()
    expect(sync.snapshot().conflict).not.toBeNull()
    sync.applyRemote(theirs) // the same version arrives over the socket
    expect(sync.snapshot().remotePending).toBeNull()
    sync.resolveConflict('mine')
    await settle()
    expect(sync.snapshot().remotePending).toBeNull()
    expect(byId(server.stored!, 'a')?.settings).toEqual({ title: 'mine' })
  })
})

describe('widget removal through DELETE', () => {
  async function loaded() {
    const server = new FakeServer()
    server.saveElsewhere([widget('a', 0, 0), widget('b', 4, 0), widget('c', 8, 0)])
    const { sync } = setup(server)
    await sync.load()
    return { server, sync }
  }

  function remove(sync: LayoutSync, id: string): void {
    const d = current(sync)
    sync.edit({ ...d, widgets: d.widgets.filter((w) => w.id !== id) })
  }

  it('sends a lone removal as DELETE /layout/me/{id}', async () => {
    const { server, sync } = await loaded()
    remove(sync, 'b')
    await settle()
    expect(server.requests).toEqual(['GET', 'DELETE b'])
    expect(ids(server.stored!)).toEqual(['a', 'c'])
    expect(sync.snapshot().status).toBe('saved')
  })

  it('sends a removal together with other edits as one PUT', async () => {
    const { server, sync } = await loaded()
    remove(sync, 'b')
    addNote(sync, 'n', 0, 4)
    await settle()
    expect(server.requests).toEqual(['GET', 'PUT v1'])
    expect(ids(server.stored!)).toEqual(['a', 'c', 'n'])
  })

  it('a removal of a widget already gone on the server settles on the server copy', async () => {
    const { server, sync } = await loaded()
    server.saveElsewhere([widget('a', 0, 0), widget('c', 8, 0), widget('d', 0, 4)])
    remove(sync, 'b')
    await settle()
    expect(server.requests.slice(0, 3)).toEqual(['GET', 'DELETE b', 'GET'])
    expect(ids(current(sync))).toEqual(['a', 'c', 'd'])
    expect(sync.snapshot().status).toBe('saved')
  })
})
