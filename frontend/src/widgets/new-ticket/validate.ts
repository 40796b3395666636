/** The new-ticket form's own checks, the same limits the server applies (it checks again). */
import { DESCRIPTION_MAX, PRIORITIES, TAG_MAX, TAGS_MAX, TITLE_MAX } from '@/features/tickets/api'

export interface TicketDraft {
  title: string
  description: string
  priority: string
  tagsText: string
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim().toLowerCase()).filter(Boolean))]
}

/** Field -> message for each field that is not acceptable (empty when the draft may be sent). */
export function validateDraft(draft: TicketDraft): Record<string, string> {
  const errors: Record<string, string> = {}
  const title = draft.title.trim()
  if (!title) errors.title = 'A title is required'
  else if (draft.title.length > TITLE_MAX) errors.title = `At most ${TITLE_MAX} characters (now ${draft.title.length})`
  if (draft.description.length > DESCRIPTION_MAX) {
    errors.description = `At most ${DESCRIPTION_MAX.toLocaleString()} characters (now ${draft.description.length.toLocaleString()})`
  }
  if (!(PRIORITIES as readonly string[]).includes(draft.priority)) errors.priority = 'Choose a priority'
  const tags = parseTags(draft.tagsText)
  if (tags.length > TAGS_MAX) errors.tags = `At most ${TAGS_MAX} tags`
  else if (tags.some((tag) => tag.length > TAG_MAX)) errors.tags = `A tag has at most ${TAG_MAX} characters`
  return errors
}
