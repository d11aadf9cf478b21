/**
 * Opens a run page (local/workflow-runner/run-page.ts) in a real browser: Debian's `chromium`
 * (installed by local/stack.sh, as Docker is) driven headless by playwright-core. Reports what a
 * person would see go wrong: console errors, Mermaid diagrams not drawn (or drawn as Mermaid's
 * error picture), and keeps a screenshot. Waits on the page's own "Mermaid finished" mark, never
 * on a sleep, with deadlines generous enough for a loaded 2-core machine.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export function chromiumPath(): string {
  const candidates = [process.env.CTP_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(
      `no Chromium found (looked at ${candidates.join(', ')}): 'bash local/stack.sh up' installs Debian's chromium as root, or set CTP_CHROMIUM to a Chromium binary`,
    );
  return found;
}

export interface PageCheck {
  consoleErrors: string[];
  /** Mermaid blocks on the page, those drawn as an SVG, and those Mermaid drew as its error picture. */
  mermaid: { total: number; drawn: number; failed: number; state: string };
  /** `<table>` elements inside rendered summaries. */
  summaryTables: number;
  screenshot: string;
}

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: the tests run as root in a container, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'], timeout: 120_000 });
}

/**
 * Opens the page, waits for Mermaid to finish, and reports; `inspect` may look further before the
 * page closes. The screenshot is of the whole page unless `fullPage` is false (a very long page).
 */
export async function checkPageInBrowser(
  browser: Browser,
  file: string,
  screenshot: string,
  inspect?: (page: Page) => Promise<void>,
  fullPage = true,
): Promise<PageCheck> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  try {
    await page.goto(`file://${path.resolve(file)}`, { timeout: 120_000 });
    await page.waitForSelector('body[data-mermaid]', { timeout: 180_000, state: 'attached' });
    // A string: the project compiles without the DOM's types; this runs in the page.
    const mermaid = await page.evaluate<PageCheck['mermaid']>(`(() => {
      const blocks = [...document.querySelectorAll('.mermaid')];
      return {
        total: blocks.length + document.querySelectorAll('pre[lang="mermaid"]').length,
        drawn: blocks.filter((b) => b.querySelector('svg') !== null).length,
        failed: blocks.filter((b) => b.querySelector('svg[aria-roledescription="error"]') !== null).length,
        state: document.body.dataset.mermaid ?? '',
      };
    })()`);
    const summaryTables = await page.locator('.markdown-body table').count();
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage, timeout: 120_000 });
    await inspect?.(page);
    return { consoleErrors, mermaid, summaryTables, screenshot };
  } finally {
    await page.close();
  }
}
