// Run axe-core's WCAG 2.1 A and AA rules on local HTML pages in headless Chromium.
// Usage: node axe_check.js CHROMIUM PAGE.html [PAGE.html ...]
// Prints one JSON object: {page: {"violations": [{id, impact, help, nodes: [html snippet, ...]}, ...],
//                                   "tops": {id: top in px of each element with an id, at 1280 x 800}}}.
// The browser gets a fresh profile and no network: the pages are self-contained files.
const fs = require("fs");
const os = require("os");
const path = require("path");
const { pathToFileURL } = require("url");
const puppeteer = require("puppeteer-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function main() {
  const [chromium, ...pages] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "axe-profile-"));
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
  });
  const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const found = {};
  try {
    for (const page of pages) {
      const tab = await browser.newPage();
      await tab.setViewport({ width: 1280, height: 800 });
      await tab.goto(pathToFileURL(path.resolve(page)).href, { waitUntil: "load" });
      await tab.evaluate(axeSource);
      const result = await tab.evaluate((tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
      const tops = await tab.evaluate(() => Object.fromEntries(
        [...document.querySelectorAll("[id]")].map((el) => [el.id, el.getBoundingClientRect().top + window.scrollY])));
      found[page] = {
        violations: result.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.html.slice(0, 300)),
        })),
        tops,
      };
      await tab.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(found) + "\n");
}

main().catch((err) => { console.error(err); process.exit(1); });
