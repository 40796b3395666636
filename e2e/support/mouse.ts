import type { CDPSession, Page } from '@playwright/test'

/**
 * Real mouse input sent straight to Chromium (CDP Input.dispatchMouseEvent: trusted events, as
 * a person's mouse makes). Why not page.mouse: while the button is down, Playwright treats any
 * `dragstart` event as the start of a native HTML drag and waits for Chromium to intercept one.
 * gridstack announces its own drags with a `dragstart` CustomEvent on the grid, so the move that
 * starts a gridstack drag would wait forever. Events and coordinates are the same as page.mouse.
 */
export class RealMouse {
  private x = 0
  private y = 0
  private pressed = false

  private constructor(private readonly session: CDPSession) {}

  static async of(page: Page): Promise<RealMouse> {
    return new RealMouse(await page.context().newCDPSession(page))
  }

  private async send(type: 'mouseMoved' | 'mousePressed' | 'mouseReleased'): Promise<void> {
    await this.session.send('Input.dispatchMouseEvent', {
      type,
      x: this.x,
      y: this.y,
      button: type === 'mouseMoved' && !this.pressed ? 'none' : 'left',
      buttons: this.pressed ? 1 : 0,
      clickCount: type === 'mouseMoved' ? 0 : 1,
    })
  }

  async move(x: number, y: number, options: { steps?: number } = {}): Promise<void> {
    const steps = Math.max(1, options.steps ?? 1)
    const fromX = this.x
    const fromY = this.y
    for (let i = 1; i <= steps; i++) {
      this.x = fromX + ((x - fromX) * i) / steps
      this.y = fromY + ((y - fromY) * i) / steps
      await this.send('mouseMoved')
    }
  }

  async down(): Promise<void> {
    this.pressed = true
    await this.send('mousePressed')
  }

  async up(): Promise<void> {
    this.pressed = false
    await this.send('mouseReleased')
  }

  async detach(): Promise<void> {
    await this.session.detach()
  }
}
