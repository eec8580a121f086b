// Demo smoke test, driven by TestDemoSmoke: loads the demo page in headless
// Chromium as Alice and as Bob, checks the live connection, presence, and that
// a write sent through the proxy shows up in both pages' post list and event
// log, and saves screenshots.
//
// Usage: node demo-smoke.js SITE_URL OUT_DIR
'use strict'

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { chromium } = require('playwright-core')

const GREEN = 'rgb(34, 197, 94)'
const RED = 'rgb(239, 68, 68)'
const TIMEOUT = 10000

function check (cond, what) {
  if (!cond) throw new Error('check failed: ' + what)
}

async function openAs (ctx, site, user, problems) {
  const page = await ctx.newPage()
  page.on('pageerror', (err) => problems.push(`${user}: page error: ${err.message}`))
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${user}: console error: ${m.text()}`) })
  await page.goto(`${site}?user=${user}`)
  await page.waitForSelector('#conn-dot.connected', { timeout: TIMEOUT })
  const color = await page.$eval('#conn-dot', (el) => getComputedStyle(el).backgroundColor)
  check(color === GREEN, `${user}: connection dot is ${color}, want green ${GREEN}`)
  await page.waitForSelector('#post-list li[data-id="1"]', { timeout: TIMEOUT })
  return page
}

function logHas (page, text) {
  return page.waitForFunction(
    (t) => [...document.querySelectorAll('#event-log li')].some((li) => li.textContent.includes(t)),
    text, { timeout: TIMEOUT })
}

async function main () {
  const [site, outDir] = process.argv.slice(2)
  check(site && outDir, 'usage: node demo-smoke.js SITE_URL OUT_DIR')
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-smoke-profile-'))
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 860 },
  })
  // Keep a handle on the page's sockets, to cut the connection later.
  await ctx.addInitScript(() => {
    const Native = window.WebSocket
    window.__sockets = []
    window.WebSocket = class extends Native {
      constructor (...args) {
        super(...args)
        window.__sockets.push(this)
      }
    }
  })
  const problems = []
  try {
    const alice = await openAs(ctx, site, 'alice', problems)
    check(await alice.textContent('#me-name') === 'Alice Martin', 'Alice\'s page names her')
    const bob = await openAs(ctx, site, 'bob', problems)

    // Presence: Alice opens post 1, Bob sees her avatar on it.
    await alice.click('#post-list li[data-id="1"] .post-title')
    await bob.waitForSelector('#post-list li[data-id="1"] .avatar[title="Alice Martin"]', { timeout: TIMEOUT })
    await bob.click('#post-list li[data-id="1"] .post-title')
    await alice.waitForSelector('#post-list li[data-id="1"] .avatar[title="Bob Chen"]', { timeout: TIMEOUT })

    // A write through the proxy, from outside the pages.
    const title = `Smoke test post ${Date.now()}`
    const res = await fetch(new URL('/posts', site), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, body: 'Written by the smoke test.', status: 'draft' }),
    })
    check(res.status === 201, `POST /posts answered ${res.status}, want 201`)
    const post = await res.json()
    for (const page of [alice, bob]) {
      const item = await page.waitForSelector(`#post-list li[data-id="${post.id}"]`, { timeout: TIMEOUT })
      check((await item.textContent()).includes(title), `the new post's row shows its title`)
      await logHas(page, `create posts #${post.id}`)
    }

    // Publishing from Bob's page reaches Alice's list.
    await bob.click(`#post-list li[data-id="${post.id}"] button:has-text("Publish")`)
    await alice.waitForSelector(`#post-list li[data-id="${post.id}"] .badge.published`, { timeout: TIMEOUT })
    await logHas(alice, `publish posts #${post.id}`)

    // Alice is editing post 1: a change to it from elsewhere is a document.updated.
    const patch = await fetch(new URL('/posts/1', site), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Welcome to the real-time demo (edited live)' }),
    })
    check(patch.status === 200, `PATCH /posts/1 answered ${patch.status}, want 200`)
    await logHas(alice, '#1 you are editing: update')
    await alice.waitForSelector('#editor-note:not([hidden])', { timeout: TIMEOUT })
    await alice.waitForFunction(() => document.getElementById('editor-title').value.endsWith('(edited live)'),
      null, { timeout: TIMEOUT })

    // A lost connection turns the dot red, then the page reconnects on its
    // own and rejoins the document it is editing.
    await alice.evaluate(() => window.__sockets.at(-1).close())
    await alice.waitForSelector('#conn-dot.disconnected', { timeout: TIMEOUT })
    const red = await alice.$eval('#conn-dot', (el) => getComputedStyle(el).backgroundColor)
    check(red === RED, `disconnected dot is ${red}, want red ${RED}`)
    await alice.waitForSelector('#conn-dot.connected', { timeout: 15000 })
    check(await alice.evaluate(() => window.__sockets.length) === 2, 'Alice\'s page reconnected with a new socket')
    await logHas(bob, 'Alice Martin closed #1')
    await bob.waitForSelector('#post-list li[data-id="1"] .avatar[title="Alice Martin"]', { timeout: TIMEOUT })

    await alice.screenshot({ path: path.join(outDir, 'demo-alice.png') })
    await bob.screenshot({ path: path.join(outDir, 'demo-bob.png') })
    check(problems.length === 0, 'no page errors: ' + problems.join('; '))
    console.log(`demo smoke test passed: post ${post.id} created, published and seen live by Alice and Bob`)
  } finally {
    await ctx.close()
    fs.rmSync(profile, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err.stack || String(err))
  process.exit(1)
})
