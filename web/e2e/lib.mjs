// Shared helpers for the browser tests: launch Debian's chromium through playwright-core with a
// fresh profile, log in and out through the real pages, save screenshots, fail with clear messages.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.SY_BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '')
export const PASSWORD = process.env.SY_E2E_PASSWORD || 'Demo#2026'
export const SHOT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots')
const TIMEOUT = Number(process.env.SY_E2E_TIMEOUT || 15000)

export async function launch() {
  fs.mkdirSync(SHOT_DIR, { recursive: true })
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-e2e-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.SY_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 800 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
  })
  context.setDefaultTimeout(TIMEOUT)
  // First loads of the large bundles can be slow when the server compresses them per request.
  context.setDefaultNavigationTimeout(Math.max(TIMEOUT, 60000))
  const page = context.pages()[0] || (await context.newPage())
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  const close = async () => {
    await context.close().catch(() => {})
    fs.rmSync(profile, { recursive: true, force: true })
  }
  return { context, page, pageErrors, close }
}

let stepName = ''
export function step(name) {
  stepName = name
  console.log(`• ${name}`)
}

export async function shot(page, name) {
  const file = path.join(SHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: false })
  console.log(`  截图 ${path.relative(process.cwd(), file)}`)
  return file
}

/** Runs fn; on any failure prints the step, saves a screenshot and exits 1. */
export async function run(title, fn) {
  let env
  try {
    env = await launch()
  } catch (e) {
    console.error(`FAIL ${title}: 无法启动 chromium: ${e.message}`)
    process.exit(1)
  }
  try {
    await fn(env)
    if (env.pageErrors.length) throw new Error(`页面脚本错误: ${env.pageErrors.join(' | ')}`)
    console.log(`PASS ${title}`)
    await env.close()
  } catch (e) {
    console.error(`FAIL ${title} — 步骤「${stepName}」: ${e.message}`)
    try {
      await shot(env.page, `FAILED-${title.replace(/[^\w.-]+/g, '_')}`)
    } catch {
      // page may be gone
    }
    await env.close()
    process.exit(1)
  }
}

/** Logs in through the form; with stay: true uses the log-in page already shown (keeps ?redirect=). */
export async function login(page, username, password = PASSWORD, { expectPasswordChange = false, stay = false } = {}) {
  if (!stay) await page.goto(`${BASE_URL}/login`, { waitUntil: 'domcontentloaded' })
  await page.getByPlaceholder('用户名').fill(username)
  await page.getByPlaceholder('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  const outcome = await Promise.race([
    page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: TIMEOUT }).then(() => 'ok'),
    page.getByTestId('login-error').waitFor({ timeout: TIMEOUT }).then(() => 'error'),
  ])
  if (outcome === 'error') {
    const msg = (await page.getByTestId('login-error').innerText()).trim()
    const hint = /次数过多/.test(msg) ? '（服务器按来源 IP 限制失败登录次数：请重启服务或 15 分钟后再试）' : ''
    throw new Error(`用户 ${username} 登录失败：${msg}${hint}`)
  }
  if (expectPasswordChange) {
    await page.waitForURL((u) => u.pathname === '/password')
    return
  }
  if (new URL(page.url()).pathname === '/password') {
    throw new Error(`用户 ${username} 登录后被要求修改密码（must_change_password），演示数据应为已改密状态`)
  }
  await page.locator('[data-testid="user-menu"]').waitFor()
}

export async function logout(page, confirmShot = '') {
  await page.locator('[data-testid="user-menu"]').click()
  await page.getByRole('menuitem', { name: '退出登录' }).click()
  if (confirmShot) {
    await page.locator('.el-message-box').waitFor()
    await waitStill(page, '.el-message-box')
    await shot(page, confirmShot)
  }
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await page.waitForURL((u) => u.pathname.startsWith('/login'))
  await page.getByRole('button', { name: '登录' }).waitFor()
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })
}

/** Clicks a sidebar entry (opening its group first) and waits for the route. */
export async function openMenu(page, group, item, pathname) {
  const sidebar = page.locator('.sidebar-container')
  if (group) {
    const entry = sidebar.locator('.el-menu-item', { hasText: item })
    if (!(await entry.isVisible())) await sidebar.locator('.el-sub-menu__title', { hasText: group }).click()
  }
  await sidebar.locator('.el-menu-item', { hasText: item }).click()
  await page.waitForURL((u) => u.pathname === pathname)
}

export async function menuTitles(page) {
  return (await page.locator('.sidebar-container .el-menu-item, .sidebar-container .el-sub-menu__title').allInnerTexts()).map((s) => s.trim())
}

/** Waits until the table under testid has at least one data row; returns the row count. */
export async function tableRows(page, testid) {
  const rows = page.locator(`[data-testid="${testid}"] .el-table__body-wrapper tbody tr.el-table__row`)
  await rows.first().waitFor()
  await page.waitForFunction(
    (id) => [...document.querySelectorAll(`[data-testid="${id}"] .el-loading-mask`)].every((m) => !m.offsetParent),
    testid,
  )
  return rows.count()
}

/** Waits until the element's box stops moving (drawer and dialog animations) before a screenshot. */
export async function waitStill(page, selector) {
  let last = ''
  for (let i = 0; i < 40; i++) {
    const box = await page.locator(selector).first().boundingBox()
    const now = JSON.stringify(box)
    if (box && now === last) return
    last = now
    await page.waitForTimeout(100)
  }
}
