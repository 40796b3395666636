import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api'
import { registerProblem, signInMessage, waitText } from '../messages'

describe('sign-in messages', () => {
  it('says how long to wait from the server’s 429', () => {
    expect(waitText('Too many attempts; try again in 1 seconds')).toBe('Try again in 1 second.')
    expect(waitText('Too many attempts; try again in 45 seconds')).toBe('Try again in 45 seconds.')
    expect(waitText('Too many attempts; try again in 900 seconds')).toBe('Try again in 15 minutes.')
    expect(waitText(undefined)).toBeNull()
    expect(signInMessage(new ApiError(429, 'Too many attempts; try again in 2 seconds', null))).toBe('Too many attempts. Try again in 2 seconds.')
    expect(signInMessage(new ApiError(429, 'slow down', null))).toBe('Too many attempts. Wait a minute and try again.')
  })

  it('keeps a wrong password vague', () => {
    expect(signInMessage(new ApiError(401, 'Invalid email or password', null))).toBe('Wrong email or password.')
    expect(signInMessage(new ApiError(0, null, null))).toContain('cannot be reached')
  })
})

describe('registration problems', () => {
  it('puts the server’s reason on the field it names', () => {
    const failure = new ApiError(
      422,
      [
        { loc: ['body', 'password'], msg: 'Value error, password is too common: it is on a list of passwords attackers try first', type: 'value_error' },
        { loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error' },
      ],
      null,
    )
    const problem = registerProblem(failure)
    expect(problem.fields.password).toBe('Password is too common: it is on a list of passwords attackers try first.')
    expect(problem.fields.email).toBe('Value is not a valid email address.')
    expect(problem.message).toBe('Check the highlighted fields.')
  })

  it('explains a closed registration and throttling', () => {
    expect(registerProblem(new ApiError(403, 'Registration is turned off', null)).message).toContain('turned off')
    expect(registerProblem(new ApiError(429, 'Too many attempts; try again in 30 seconds', null)).message).toBe(
      'Too many attempts. Try again in 30 seconds.',
    )
  })
})
