import type { LayoutTransport, SaveFailure } from '../sync'
import type { LayoutDocument } from '../types'
import { doc } from './fixtures'

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly current: LayoutDocument | null = null,
  ) {
    super(`HTTP ${status}`)
  }
}

/** An in-memory layout API with the server's rules: version check, 409 with `current`. */
export class FakeServer implements LayoutTransport {
  stored: LayoutDocument | null = null
  template: LayoutDocument = doc(0, [])
  offline = false
  failWith: number | null = null
  requests: string[] = []
  /** When set, requests wait until release() is called (to test one-in-flight). */
  private gate: Promise<void> | null = null
  private openGate: (() => void) | null = null

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve))
  }

  release(): void {
    this.openGate?.()
    this.gate = null
  }

  /** Another device saves a new version. */
  saveElsewhere(widgets: LayoutDocument['widgets']): LayoutDocument {
    const version = (this.stored?.version ?? 0) + 1
    this.stored = { ...doc(version, structuredClone(widgets)) }
    return this.stored
  }

  private async enter(name: string): Promise<void> {
    this.requests.push(name)
    if (this.gate) await this.gate
    if (this.offline) throw new TypeError('Failed to fetch')
    if (this.failWith) throw new HttpFailure(this.failWith)
  }

  async fetchLayout(): Promise<LayoutDocument | null> {
    await this.enter('GET')
    return this.stored ? structuredClone(this.stored) : null
  }

  async fetchTemplate(): Promise<LayoutDocument> {
    await this.enter('GET template')
    return structuredClone(this.template)
  }

  async create(document: LayoutDocument): Promise<LayoutDocument> {
    await this.enter('POST')
    if (this.stored) throw new HttpFailure(409, structuredClone(this.stored))
    this.stored = { ...structuredClone(document), version: 1 }
    return structuredClone(this.stored)
  }

  async replace(document: LayoutDocument): Promise<LayoutDocument> {
    await this.enter(`PUT v${document.version}`)
    if (!this.stored) throw new HttpFailure(404)
    if (this.stored.version !== document.version) throw new HttpFailure(409, structuredClone(this.stored))
    this.stored = { ...structuredClone(document), version: document.version + 1 }
    return structuredClone(this.stored)
  }

  async removeWidget(id: string): Promise<LayoutDocument> {
    await this.enter(`DELETE ${id}`)
    if (!this.stored || !this.stored.widgets.some((w) => w.id === id)) throw new HttpFailure(404)
    this.stored = { ...this.stored, version: this.stored.version + 1, widgets: this.stored.widgets.filter((w) => w.id !== id) }
    return structuredClone(this.stored)
  }

  describe(error: unknown): SaveFailure {
    if (error instanceof HttpFailure) return { status: error.status, message: error.message, current: error.current }
    return { status: 0, message: String(error) }
  }
}

export class MemoryStorage {
  data = new Map<string, string>()
  getItem(key: string): string | null {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value)
  }
  removeItem(key: string): void {
    this.data.delete(key)
  }
}
