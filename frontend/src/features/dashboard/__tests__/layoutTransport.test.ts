import { describe, expect, it, vi } from 'vitest'

const post = vi.fn(async (_path: string, body: unknown) => ({ ...(body as object), version: 1 }))
vi.mock('@/api', () => ({
  api: { post, get: vi.fn(), put: vi.fn(), delete: vi.fn() },
  ApiError: class ApiError extends Error {},
}))

describe('layout transport', () => {
  it('creates the first version from the content only (the server refuses version 0)', async () => {
    const { createLayoutTransport } = await import('../layoutTransport')
    const transport = createLayoutTransport(7, 'user')
    await transport.create({
      user_id: 7,
      version: 0,
      schema_version: 1,
      updated_at: '1970-01-01T00:00:00.000Z',
      grid: { columns: 12, row_height: 80 },
      widgets: [],
    })
    expect(post).toHaveBeenCalledWith('/api/layout/me', {
      schema_version: 1,
      grid: { columns: 12, row_height: 80 },
      widgets: [],
    })
  })
})
