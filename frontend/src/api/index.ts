export { api, request, getAccessToken, setAccessToken, refreshAccessToken, onTokenChange } from './client'
export type { RequestOptions, TokenPayload, HttpMethod, Query } from './client'
export { ApiError, isApiError } from './errors'
export { clientId } from './clientId'
