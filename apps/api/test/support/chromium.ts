import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, as every browser test here runs it (headless, no sandbox as root, no background traffic). */
export const CHROMIUM = '/usr/bin/chromium';
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
