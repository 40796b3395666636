import { defineConfig, devices } from '@playwright/test'

// Debian's Chromium; Playwright never downloads a browser here.
const CHROMIUM = process.env.DESKBOARD_E2E_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: './journeys',
  outputDir: './artifacts/test-results',
  globalSetup: './support/globalSetup.ts',
  timeout: 45_000,
  expect: { timeout: 8_000 },
  fullyParallel: false,
  // Two cores shared with the server: one browser at a time keeps timings honest.
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: './artifacts/report', open: 'never' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1366, height: 900 } } },
  ],
})
