export type Role = 'admin' | 'agent' | 'user' | 'guest'

export interface CurrentUser {
  id: number
  name: string
  email: string
  role: Role
  is_active?: boolean
}

export interface LoginResponse {
  access_token: string
  token_type: 'bearer'
  expires_in: number
  user: CurrentUser
}
