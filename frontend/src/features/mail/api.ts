/** The email channel as the admin screen and the ticket detail use it (DESIGN.md, issue 12). */
import { api } from '@/api'
import type { components, operations } from '@/api/schema'

export type Mailbox = components['schemas']['MailboxRead']
export type MailboxCreate = components['schemas']['MailboxCreate']
export type MailboxUpdate = components['schemas']['MailboxUpdate']
export type MailboxTest = components['schemas']['MailboxTestResult']
export type OutboxItem = components['schemas']['OutboxItemRead']
export type QuarantineItem = components['schemas']['QuarantineItemRead']
export type MailThread = components['schemas']['MailThreadRead']
export type Security = components['schemas']['Security']
export type MailPreferences = components['schemas']['MailPreferences']

export const SECURITY: Security[] = ['ssl', 'starttls', 'none']

export const listMailboxes = () => api.get<Mailbox[]>('/api/mailboxes')
export const createMailbox = (body: MailboxCreate) => api.post<Mailbox>('/api/mailboxes', body)
export const updateMailbox = (id: number, body: MailboxUpdate) =>
  api.patch<Mailbox>(`/api/mailboxes/${id}`, body)
export const deleteMailbox = (id: number) => api.delete<void>(`/api/mailboxes/${id}`)
export const testMailbox = (id: number) => api.post<MailboxTest>(`/api/mailboxes/${id}/test`)
type OutboxQuery = NonNullable<operations['list_outbox_api_mail_outbox_get']['parameters']['query']>
export type OutboxStatus = NonNullable<OutboxQuery['status']>
export const OUTBOX_STATUSES: OutboxStatus[] = ['pending', 'sent', 'failed']
export const listOutbox = (status?: OutboxStatus) =>
  api.get<OutboxItem[]>(status ? `/api/mail/outbox?status=${status}` : '/api/mail/outbox')
export const listQuarantine = () => api.get<QuarantineItem[]>('/api/mail/quarantine')
export const ticketMailThread = (ticketId: number) => api.get<MailThread>(`/api/tickets/${ticketId}/mail`)
export const getMailPreferences = () => api.get<MailPreferences>('/api/mail/preferences')
export const setMailPreferences = (body: MailPreferences) => api.put<MailPreferences>('/api/mail/preferences', body)

/** The form's fields, flat, as a person types them. */
export interface MailboxDraft {
  name: string
  address: string
  imapHost: string
  imapPort: number
  imapSecurity: Security
  imapUsername: string
  imapPassword: string
  imapFolder: string
  smtpHost: string
  smtpPort: number
  smtpSecurity: Security
  smtpUsername: string
  smtpPassword: string
  pollSeconds: number
  enabled: boolean
}

export function emptyDraft(): MailboxDraft {
  return {
    name: '',
    address: '',
    imapHost: '',
    imapPort: 993,
    imapSecurity: 'ssl',
    imapUsername: '',
    imapPassword: '',
    imapFolder: 'INBOX',
    smtpHost: '',
    smtpPort: 587,
    smtpSecurity: 'starttls',
    smtpUsername: '',
    smtpPassword: '',
    pollSeconds: 60,
    enabled: true,
  }
}

export function draftOf(box: Mailbox): MailboxDraft {
  return {
    name: box.name,
    address: box.address,
    imapHost: box.imap.host,
    imapPort: box.imap.port,
    imapSecurity: box.imap.security,
    imapUsername: box.imap.username,
    imapPassword: '',
    imapFolder: box.imap.folder,
    smtpHost: box.smtp.host,
    smtpPort: box.smtp.port,
    smtpSecurity: box.smtp.security,
    smtpUsername: box.smtp.username,
    smtpPassword: '',
    pollSeconds: box.poll_seconds,
    enabled: box.enabled,
  }
}

/** The API body: an empty password field means "keep the stored one" (passwords are write-only). */
export function bodyOf(draft: MailboxDraft): MailboxCreate {
  return {
    name: draft.name.trim(),
    address: draft.address.trim(),
    auth: 'password',
    imap: {
      host: draft.imapHost.trim(),
      port: Number(draft.imapPort),
      security: draft.imapSecurity,
      username: draft.imapUsername,
      folder: draft.imapFolder || 'INBOX',
      ...(draft.imapPassword ? { password: draft.imapPassword } : {}),
    },
    smtp: {
      host: draft.smtpHost.trim(),
      port: Number(draft.smtpPort),
      security: draft.smtpSecurity,
      username: draft.smtpUsername,
      ...(draft.smtpPassword ? { password: draft.smtpPassword } : {}),
    },
    poll_seconds: Number(draft.pollSeconds),
    enabled: draft.enabled,
  }
}

/** "3 minutes ago"-style text for a poll time (null: never). */
export function since(at: string | null | undefined, now = Date.now()): string {
  if (!at) return 'never'
  const seconds = Math.max(0, Math.round((now - new Date(at).getTime()) / 1000))
  if (seconds < 60) return `${seconds}s ago`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`
  return new Date(at).toLocaleString()
}
