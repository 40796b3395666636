/** The "/" trigger of the saved-reply picker, as plain functions over the editor's text. */
import type { SavedReply } from './api'

export interface SlashTrigger {
  /** Where the "/" is. */
  start: number
  /** The cursor: the end of what the picker replaces. */
  end: number
  /** What was typed after the "/" (filters the list). */
  query: string
}

const QUERY_MAX = 60

/** The trigger under the cursor: a "/" that starts a line (or the editor) and the text typed
 * after it on that line, or null. */
export function slashTrigger(text: string, cursor: number): SlashTrigger | null {
  if (cursor < 1 || cursor > text.length) return null
  const start = text.lastIndexOf('\n', cursor - 1) + 1
  if (text[start] !== '/' || start >= cursor) return null
  const query = text.slice(start + 1, cursor)
  if (query.length > QUERY_MAX) return null
  return { start, end: cursor, query }
}

/** `text` with [start, end) replaced by `insert`, and where the cursor goes (after it). */
export function replaceRange(text: string, start: number, end: number, insert: string): { text: string; cursor: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), cursor: start + insert.length }
}

/** Replies whose title holds the query (any case), in the server's order (most used first). */
export function filterReplies(replies: readonly SavedReply[], query: string): SavedReply[] {
  const needle = query.trim().toLowerCase()
  return needle ? replies.filter((reply) => reply.title.toLowerCase().includes(needle)) : [...replies]
}
