import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, as every browser test here runs it: headless, no sandbox (root), no background
 * traffic, and without the omnibox pop-up it otherwise builds from hundreds of its own modules after
 * launch, taking a busy machine's cores from the pages under test.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup'],
  });
